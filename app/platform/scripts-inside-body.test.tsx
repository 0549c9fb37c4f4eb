import { describe, expect, it } from 'vitest';
import { scriptsInsideBody } from './scripts-inside-body.server.ts';

const moved = (html: string) => scriptsInsideBody(Buffer.from(html)).toString('utf8');

describe('scripts written after </html>', () => {
  it('are moved to the end of <body>', () => {
    expect(
      moved(
        '<!DOCTYPE html><html><body><main>本文</main><script>a()</script></body></html><!--$--><script>b("</x>")</script><!--/$-->',
      ),
    ).toBe(
      '<!DOCTYPE html><html><body><main>本文</main><script>a()</script><!--$--><script>b("</x>")</script><!--/$--></body></html>',
    );
  });

  it('leave a document that ends properly as it is', () => {
    const html = '<!DOCTYPE html><html><body><p>x</p></body></html>';
    expect(moved(html)).toBe(html);
  });

  it('leave a fragment without a document end as it is', () => {
    expect(moved('<p>x</p>')).toBe('<p>x</p>');
  });
});
