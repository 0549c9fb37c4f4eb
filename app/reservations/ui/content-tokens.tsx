import { MarkdownTokens, type MarkdownToken } from '../../ui/markdown-tokens.tsx';
import type { Locale } from '../../i18n/locales.ts';

/**
 * A booking site text from the tokens its loader lexed (app/ui/markdown.server.ts), so the
 * resident's page does not load the Markdown parser (decision 0070). ContentBody renders
 * through it for the staff preview, which lexes in the browser.
 */
export function ContentTokens({
  tokens,
  locale,
  headingOffset = 0,
}: {
  tokens: MarkdownToken[];
  /** The language the text is written in (a staff page may preview the other one). */
  locale: Locale;
  headingOffset?: number;
}) {
  return (
    <div className="notice-body" lang={locale}>
      <MarkdownTokens tokens={tokens} locale={locale} headingOffset={headingOffset} />
    </div>
  );
}
