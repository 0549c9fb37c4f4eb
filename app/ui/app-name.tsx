import { isJapaneseScript, userText } from './user-text.ts';

/**
 * An app's or a device's name as its owner typed it: a brand, not a sentence of the page's
 * language. Japanese script is marked ja; anything else en (a Latin brand name read inside a
 * Japanese page), and left untranslated.
 */
export function AppName({ name }: { name: string }) {
  return (
    <span lang={isJapaneseScript(name) ? 'ja' : 'en'} translate="no">
      {userText(name)}
    </span>
  );
}
