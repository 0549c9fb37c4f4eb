import { markdownTokens } from '../../ui/markdown.tsx';
import type { Locale } from '../../i18n/locales.ts';
import { ContentTokens } from './content-tokens.tsx';

/**
 * A booking site text as residents see it, and as staff preview it: the notices' safe Markdown
 * subset (app/ui/markdown.tsx: raw HTML shown as text, other sites' links through the leaving
 * page). `## ` is the page's second level: under its one <h1>, or deeper inside a section.
 * Lexed where it renders (the staff preview); residents' pages get tokens (ContentTokens).
 */
export function ContentBody({
  body,
  locale,
  headingOffset = 0,
}: {
  body: string;
  /** The language the text is written in (a staff page may preview the other one). */
  locale: Locale;
  headingOffset?: number;
}) {
  return (
    <ContentTokens tokens={markdownTokens(body)} locale={locale} headingOffset={headingOffset} />
  );
}
