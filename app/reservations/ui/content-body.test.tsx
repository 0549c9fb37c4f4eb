/**
 * Booking site texts go through the notices' Markdown renderer (app/ui/markdown.tsx): the
 * subset staff may write, and what a hostile or careless text must never become.
 */
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ContentBody } from './content-body.tsx';

const html = (body: string, locale: 'ja' | 'en' = 'ja') =>
  renderToStaticMarkup(<ContentBody body={body} locale={locale} />);

describe('a booking site text', () => {
  it('renders paragraphs, second- and third-level headings, lists, bold and links', () => {
    const out = html(
      '# 大見出し\n\n## 持ち物\n\n### 本人の場合\n\n**必ず**お持ちください。\n\n- 通知書\n- 本人確認書類\n\n1. 予約する\n2. 来庁する\n\n[予約サイト](/ja/reservations)',
    );
    expect(out).toMatch(/^<div class="notice-body" lang="ja">/);
    // One <h1> is the page's: a text's headings start at <h2>.
    expect(out).toContain('<h2>大見出し</h2><h2>持ち物</h2><h3>本人の場合</h3>');
    expect(out).toContain('<p><strong>必ず</strong>お持ちください。</p>');
    expect(out).toContain('<ul><li>通知書</li><li>本人確認書類</li></ul>');
    expect(out).toContain('<ol><li>予約する</li><li>来庁する</li></ol>');
    expect(out).toContain('<a href="/ja/reservations">予約サイト</a>');
  });

  it('sends links to other sites through the leaving page', () => {
    expect(html('[市のサイト](https://www.city.miura.kanagawa.jp/)', 'en')).toContain(
      'href="/en/leaving?to=https%3A%2F%2Fwww.city.miura.kanagawa.jp%2F"',
    );
  });

  it('shows raw HTML as text and never renders a script, an event handler or a script link', () => {
    const attacks = [
      '<script>alert(1)</script>',
      '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">x</a>',
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](java\tscript:alert(1))',
      '[x](vbscript:msgbox(1))',
      '[x](data:text/html,<script>alert(1)</script>)',
      '[x](" onmouseover="alert(1))',
      '[x](/ja/reservations" onclick="alert(1))',
      '[x](https://a.example/"><script>alert(1)</script>)',
      '**<iframe src="https://evil.example"></iframe>**',
      '<style>body{display:none}</style>',
      '- <svg onload=alert(1)>',
      '## <b onclick="alert(1)">見出し</b>',
      '<!-- <script>alert(1)</script> -->',
      '![x](https://tracker.example/p.gif "t" onerror="alert(1)")',
    ];
    for (const attack of attacks) {
      const out = html(attack);
      expect(out, attack).not.toMatch(
        /<(script|img|iframe|svg|style|b)\b|<[^>]*\son\w+=|href="\s*(javascript|vbscript|data):|<[^>]*\ssrc=/i,
      );
      // Every link stays on this site (our pages or the leaving page).
      for (const m of out.matchAll(/href="([^"]*)"/g))
        expect(new URL((m[1] ?? '').replaceAll('&amp;', '&'), 'https://m.example/').origin).toBe(
          'https://m.example',
        );
    }
    expect(html('<script>alert(1)</script>')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
