import { foldNameVariants } from '../identity/name-variants.ts';

const KANA_ONLY = /^[\u3041-\u3096\u30A1-\u30FAー\s\u3000]+$/u;
const toKatakana = (text: string) =>
  text.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));

/**
 * What a typed name searches, for targets and renewals alike: a reading (hiragana or katakana,
 * spaces ignored) searches the stored katakana; anything else the name with its 異体字 folded
 * (decision 0025).
 */
export function nameCriterion(typed: string): { kanaPrefix: string } | { namePrefix: string } {
  const spaced = typed.normalize('NFKC');
  return KANA_ONLY.test(spaced)
    ? { kanaPrefix: toKatakana(spaced.replace(/\s/g, '')) }
    : { namePrefix: foldNameVariants(typed) };
}
