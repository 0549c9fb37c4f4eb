import type { MailLocale } from './mail.ts';

/**
 * The content of one email, written once and rendered twice: plain text and HTML. Paragraphs
 * are text; the HTML escapes everything it is given and loads nothing from anywhere (no remote
 * images, no styles from elsewhere), so a mail client shows it as sent.
 */
export type MailContent = {
  locale: MailLocale;
  subject: string;
  /** The greeting line, e.g. 「三浦 花子 様」. */
  greeting?: string;
  paragraphs: string[];
  /** Label and value pairs: date, place, reservation number. */
  facts?: { label: string; value: string }[];
  link?: { label: string; href: string };
  /** The sender's closing lines (office name, phone). */
  signature?: string[];
};

export type RenderedMail = { subject: string; text: string; html: string };

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const htmlLines = (value: string) => escapeHtml(value).replaceAll('\n', '<br>\n');

export function renderMail(content: MailContent): RenderedMail {
  const text: string[] = [];
  if (content.greeting) text.push(content.greeting, '');
  for (const p of content.paragraphs) text.push(p, '');
  if (content.facts?.length) {
    for (const f of content.facts) text.push(`${f.label}: ${f.value}`);
    text.push('');
  }
  if (content.link) text.push(`${content.link.label}:`, content.link.href, '');
  if (content.signature?.length) text.push('--', ...content.signature);

  const body: string[] = [];
  if (content.greeting) body.push(`<p>${htmlLines(content.greeting)}</p>`);
  for (const p of content.paragraphs) body.push(`<p>${htmlLines(p)}</p>`);
  if (content.facts?.length)
    body.push(
      '<dl>',
      ...content.facts.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${htmlLines(f.value)}</dd>`),
      '</dl>',
    );
  if (content.link)
    body.push(
      `<p><a href="${escapeHtml(content.link.href)}">${escapeHtml(content.link.label)}</a></p>`,
    );
  if (content.signature?.length)
    body.push(`<p>${content.signature.map((line) => escapeHtml(line)).join('<br>\n')}</p>`);

  const html = [
    '<!DOCTYPE html>',
    `<html lang="${content.locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(content.subject)}</title>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { subject: content.subject, text: text.join('\n').trimEnd() + '\n', html };
}
