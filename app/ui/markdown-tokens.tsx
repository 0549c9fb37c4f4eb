import { Fragment, type ReactNode } from 'react';
import type { Token, Tokens } from 'marked';
import type { Locale } from '../i18n/locales.ts';
import { externalUrl, sameOriginPath } from '../platform/links.ts';

/**
 * A safe Markdown subset for notices written by staff, rendered from its tokens (made by
 * markdownTokens in app/ui/markdown.tsx): paragraphs, headings, lists, emphasis, code, quotes
 * and links. Every token becomes a React element, so raw HTML in the source is shown as text
 * and can never run. Images are shown as their alternative text (a notice never makes the
 * browser fetch from elsewhere). Links to other sites go through the "you are leaving
 * Madoguchi" page; unknown schemes become plain text. A page whose loader lexes the source
 * ships no Markdown parser (decision 0070).
 */
export function MarkdownTokens({
  tokens,
  locale,
  headingOffset = 1,
}: {
  tokens: MarkdownToken[];
  locale: Locale;
  headingOffset?: number;
}) {
  return <>{blocks(tokens as Token[], { locale, headingOffset })}</>;
}

/** marked's tokens as plain data (what a loader can send). */
export type MarkdownToken = { type: string; [field: string]: unknown };

type Options = { locale: Locale; headingOffset: number };

export type SafeHref = { kind: 'internal' | 'external' | 'direct'; href: string } | null;

/**
 * How a link in a notice may be followed, by the same rule as every other link target
 * (app/platform/links.ts): where the browser would really go, not how the text begins.
 */
export function classifyHref(href: string, locale: Locale): SafeHref {
  const path = sameOriginPath(href);
  if (path !== null) return { kind: 'internal', href: path };
  const trimmed = href.trim();
  if (/^(mailto|tel):[^\s]+$/i.test(trimmed)) return { kind: 'direct', href: trimmed };
  const url = externalUrl(href, ['https:', 'http:']);
  if (!url) return null;
  return { kind: 'external', href: `/${locale}/leaving?to=${encodeURIComponent(url.href)}` };
}

function blocks(tokens: Token[], o: Options): ReactNode[] {
  return tokens.map((token, i) => <Fragment key={i}>{block(token, o)}</Fragment>);
}

function block(token: Token, o: Options): ReactNode {
  switch (token.type) {
    case 'paragraph':
      return <p>{inline((token as Tokens.Paragraph).tokens, o)}</p>;
    case 'heading': {
      const t = token as Tokens.Heading;
      const level = Math.min(6, Math.max(2, t.depth + o.headingOffset));
      const Tag = `h${level}` as 'h2';
      return <Tag>{inline(t.tokens, o)}</Tag>;
    }
    case 'list': {
      const t = token as Tokens.List;
      const items = t.items.map((item, i) => (
        <li key={i}>
          {item.tokens.some((x) => x.type === 'paragraph')
            ? blocks(item.tokens, o)
            : inlineOrBlocks(item.tokens, o)}
        </li>
      ));
      return t.ordered ? (
        <ol start={typeof t.start === 'number' && t.start !== 1 ? t.start : undefined}>{items}</ol>
      ) : (
        <ul>{items}</ul>
      );
    }
    case 'blockquote':
      return <blockquote>{blocks((token as Tokens.Blockquote).tokens, o)}</blockquote>;
    case 'code':
      return (
        <pre>
          <code>{(token as Tokens.Code).text}</code>
        </pre>
      );
    case 'hr':
      return <hr />;
    case 'space':
      return null;
    case 'text': {
      const t = token as Tokens.Text;
      return <p>{t.tokens ? inline(t.tokens, o) : t.text}</p>;
    }
    default:
      // html, tables, definitions and anything unknown: their source, as text.
      return <p>{'raw' in token ? String(token.raw) : ''}</p>;
  }
}

function inlineOrBlocks(tokens: Token[], o: Options): ReactNode {
  return tokens.map((token, i) => (
    <Fragment key={i}>
      {token.type === 'text'
        ? inline((token as Tokens.Text).tokens ?? [token], o)
        : block(token, o)}
    </Fragment>
  ));
}

function inline(tokens: Token[] | undefined, o: Options): ReactNode[] {
  return (tokens ?? []).map((token, i) => <Fragment key={i}>{inlineOne(token, o)}</Fragment>);
}

function inlineOne(token: Token, o: Options): ReactNode {
  switch (token.type) {
    case 'text': {
      const t = token as Tokens.Text;
      return t.tokens ? inline(t.tokens, o) : t.text;
    }
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'strong':
      return <strong>{inline((token as Tokens.Strong).tokens, o)}</strong>;
    case 'em':
      return <em>{inline((token as Tokens.Em).tokens, o)}</em>;
    case 'del':
      return <del>{inline((token as Tokens.Del).tokens, o)}</del>;
    case 'codespan':
      return <code>{(token as Tokens.Codespan).text}</code>;
    case 'br':
      return <br />;
    case 'link': {
      const t = token as Tokens.Link;
      const target = classifyHref(t.href, o.locale);
      const label = inline(t.tokens, o);
      if (!target) return label;
      return <a href={target.href}>{label}</a>;
    }
    case 'image':
      return (token as Tokens.Image).text;
    default:
      return 'raw' in token ? String(token.raw) : '';
  }
}
