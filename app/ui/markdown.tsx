import { Lexer, type Token } from 'marked';
import type { Locale } from '../i18n/locales.ts';
import { userText } from './user-text.ts';
import { MarkdownTokens, type MarkdownToken } from './markdown-tokens.tsx';

/** Notice Markdown as a page shows it (app/ui/markdown-tokens.tsx), lexed where it renders. */
export function Markdown({
  source,
  locale,
  headingOffset = 1,
}: {
  source: string;
  locale: Locale;
  headingOffset?: number;
}) {
  return (
    <MarkdownTokens tokens={markdownTokens(source)} locale={locale} headingOffset={headingOffset} />
  );
}

/** Fields the renderer reads; `raw` only for what it shows as source (html, tables…). */
const KEPT = ['type', 'tokens', 'items', 'ordered', 'start', 'depth', 'href', 'text'];
const RENDERED = new Set([
  'paragraph',
  'heading',
  'list',
  'list_item',
  'blockquote',
  'code',
  'hr',
  'space',
  'text',
  'escape',
  'strong',
  'em',
  'del',
  'codespan',
  'br',
  'link',
  'image',
]);

function pruned(token: Token): MarkdownToken {
  const out: MarkdownToken = { type: token.type };
  const fields = token as unknown as Record<string, unknown>;
  for (const name of KEPT) {
    const value = fields[name];
    if (value === undefined || name === 'type') continue;
    // A token with children renders them, not its text.
    if (name === 'text' && Array.isArray(fields.tokens) && token.type !== 'image') continue;
    out[name] = name === 'tokens' || name === 'items' ? (value as Token[]).map(pruned) : value;
  }
  if (!RENDERED.has(token.type) && 'raw' in token) out.raw = token.raw;
  return out;
}

/**
 * The tokens of a notice's Markdown (GFM, line breaks kept; bidirectional controls shown as
 * codes), as plain data: a loader can lex on the server and send them, so the page does not
 * load the parser (app/ui/markdown.server.ts).
 */
export function markdownTokens(source: string): MarkdownToken[] {
  return new Lexer({ gfm: true, breaks: true }).lex(userText(source)).map(pruned);
}
