import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { Markdown } from './markdown.tsx';
import { classifyHref } from './markdown-tokens.tsx';
import { OFF_SITE, SAME_SITE } from '../../test/support/link-attacks.ts';

function html(source: string, locale: 'ja' | 'en' = 'ja') {
  return renderToStaticMarkup(<Markdown source={source} locale={locale} />);
}

describe('Markdown in notices', () => {
  it('renders the subset', () => {
    const out = html(
      '## 見出し\n\n**重要**な*お知らせ*です。\n\n- 一つ目\n- 二つ目\n\n1. 手順\n2. 次の手順',
    );
    expect(out).toContain('<h3>見出し</h3>');
    expect(out).toContain('<strong>重要</strong>な<em>お知らせ</em>です。');
    expect(out).toContain('<ul><li>一つ目</li><li>二つ目</li></ul>');
    expect(out).toContain('<ol><li>手順</li><li>次の手順</li></ol>');
  });

  it('renders script and raw HTML inert, as text', () => {
    const attacks = [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(1)">',
      '[click](javascript:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '<a href="https://evil.example" onclick="alert(1)">x</a>',
      '![pixel](https://tracker.example/p.gif)',
    ];
    for (const attack of attacks) {
      const out = html(attack);
      // No real tag of these kinds, no event attribute on any tag, no dangerous link target.
      expect(out, attack).not.toMatch(
        /<script|<img|<[^>]*\son\w+=|href="(javascript|data):|<[^>]*\ssrc=/i,
      );
    }
    expect(html('<script>alert(1)</script>')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html('![pixel](https://tracker.example/p.gif)')).toContain('pixel');
  });

  it('sends links to other sites through the leaving page, keeps our own and mailto', () => {
    const out = html(
      '[区役所](https://www.city.example.jp/a?b=1) と [やること](/ja/todos) と [メール](mailto:info@example.jp)',
    );
    expect(out).toContain('href="/ja/leaving?to=https%3A%2F%2Fwww.city.example.jp%2Fa%3Fb%3D1"');
    expect(out).toContain('href="/ja/todos"');
    expect(out).toContain('href="mailto:info@example.jp"');
    expect(classifyHref('//evil.example/x', 'en')).toBeNull();
    expect(classifyHref('javascript:alert(1)', 'en')).toBeNull();
  });

  it('never renders a link that leaves the site without the leaving page', () => {
    const sources = [
      '[x](/\\evil.example/bs)',
      '[x](</\t/evil.example/tab>)',
      '[x](</\n/evil.example/nl>)',
      '[x](/.//evil.example/dot)',
      '[x](/%2e%2e//evil.example/dotdot)',
      '[x](https://www.city.example.jp@evil.example/)',
      ...[...OFF_SITE, ...SAME_SITE].map((target) => `[x](<${target.replace(/[<>\n]/g, '')}>)`),
    ];
    for (const source of sources) {
      const hrefs = [...html(source, 'en').matchAll(/href="([^"]*)"/g)].map((m) =>
        (m[1] ?? '').replaceAll('&amp;', '&'),
      );
      for (const href of hrefs) {
        const there = new URL(href, 'https://madoguchi.example.jp/en/notices/1');
        if (there.protocol === 'mailto:') continue;
        expect(there.origin, source).toBe('https://madoguchi.example.jp');
        if (there.pathname === '/en/leaving')
          expect(new URL(there.searchParams.get('to') ?? '').username, source).toBe('');
      }
    }
    expect(html('[x](/\\evil.example/bs)')).not.toContain('href');
    expect(html('[x](</\t/evil.example/tab>)')).not.toContain('href');
  });
});

describe('Markdown lexed by a loader', () => {
  it('renders the same from pruned tokens sent as data as from the full tokens', async () => {
    const { markdownTokens } = await import('./markdown.tsx');
    const { MarkdownTokens } = await import('./markdown-tokens.tsx');
    const source =
      '## 見出し\n\n**重要**な*お知らせ*と[リンク](https://example.org/a)、`code`\n行\n\n> 引用\n\n' +
      '- a\n- b\n\n3. c\n4. d\n\n<b>html</b>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![代替](x.png) ~~消~~ \\*';
    const tokens = JSON.parse(JSON.stringify(markdownTokens(source))) as Parameters<
      typeof MarkdownTokens
    >[0]['tokens'];
    expect(renderToStaticMarkup(<MarkdownTokens tokens={tokens} locale="ja" />)).toBe(html(source));
    // Pruning the tokens to what the renderer reads changes nothing.
    const { Lexer } = await import('marked');
    const full = new Lexer({ gfm: true, breaks: true }).lex(source) as unknown as typeof tokens;
    expect(renderToStaticMarkup(<MarkdownTokens tokens={full} locale="ja" />)).toBe(html(source));
    expect(html(source)).toContain('&lt;b&gt;html&lt;/b&gt;');
    expect(html(source)).toContain('| a | b |');
  });
});
