import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from '../i18n/react.tsx';
import { i18nFor, type Locale } from '../i18n/locales.ts';
import { OpensOverTime, yTicks } from './chart.tsx';
import type { OpensBucket } from './delivery.ts';
import { opensRows } from './delivery-view.ts';

const buckets: OpensBucket[] = [
  { start: '2026-02-01', end: '2026-02-01', opens: 3, cumulative: 3 },
  { start: '2026-02-02', end: '2026-02-02', opens: 0, cumulative: 3 },
  { start: '2026-02-03', end: '2026-02-03', opens: 1200, cumulative: 1203 },
  { start: '2026-02-04', end: '2026-02-04', opens: 7, cumulative: 1210 },
];

function render(locale: Locale) {
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18nFor(locale)}>
      <OpensOverTime rows={opensRows(buckets, locale)} step="day" locale={locale} total="1,210" />
    </I18nextProvider>,
  );
}

/** The part of `html` from the first `<tag` to its closing tag (no nesting of the same tag). */
function element(html: string, tag: string): string {
  const start = html.indexOf(`<${tag}`);
  const end = html.indexOf(`</${tag}>`, start);
  expect(start, `<${tag}>`).toBeGreaterThanOrEqual(0);
  return html.slice(start, end + tag.length + 3);
}
const attribute = (html: string, name: string) =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(html)?.[1];
const all = (html: string, pattern: RegExp) => [...html.matchAll(pattern)];

describe('the opens chart', () => {
  it('is one image named by its visible caption, with a title, a description and one bar per row', () => {
    const html = render('ja');
    const svg = element(html, 'svg');
    const svgTag = svg.slice(0, svg.indexOf('>'));
    expect(attribute(svgTag, 'role')).toBe('img');
    expect(attribute(svgTag, 'viewBox')).toMatch(/^0 0 \d+ \d+$/);
    expect(attribute(svgTag, 'width')).toBeUndefined();
    const captionId = attribute(svgTag, 'aria-labelledby');
    const caption = new RegExp(`<figcaption id="${captionId}"[^>]*>([^<]*)</figcaption>`).exec(
      html,
    );
    expect(caption?.[1]).toBe('日別の開封数（公開日から、日本時間）');
    expect(svg).toMatch(new RegExp(`^<svg[^>]*><title[^>]*>${caption?.[1]}</title>`));
    const descId = attribute(svgTag, 'aria-describedby');
    const desc = new RegExp(`<desc id="${descId}">([^<]*)</desc>`).exec(svg);
    expect(desc?.[1]).toContain('2026年2月3日の 1,200 件');
    expect(all(svg, /<rect class="chart__bar"/g)).toHaveLength(buckets.length);
  });

  it('draws taller bars for larger numbers, on an axis with round ticks', () => {
    const svg = element(render('en'), 'svg');
    const heights = all(svg, /<rect class="chart__bar"[^>]*\sheight="([\d.]+)"/g).map((m) =>
      Number(m[1]),
    );
    expect(heights).toHaveLength(4);
    expect(heights[1]).toBe(0);
    expect(heights[2]).toBeGreaterThan(heights[3]!);
    expect(heights[3]).toBeGreaterThan(heights[0]!);
    expect(heights[0]).toBeGreaterThan(heights[1]!);
    expect(svg).toContain('>1,500</text>');
    expect(yTicks(0)).toEqual([0, 1]);
    expect(yTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(yTicks(1200)).toEqual([0, 500, 1000, 1500]);
  });

  it('has a table beside it with the same numbers as the bars', () => {
    const html = render('en');
    const table = element(html, 'table');
    expect(table).toContain('<caption id="opens-table-caption">Opens per day (table)</caption>');
    const body = element(table, 'tbody');
    const rows = all(body, /<tr>(.*?)<\/tr>/g).map((m) => [
      attribute(m[1]!, 'dateTime'),
      ...all(m[1]!, /<td[^>]*>([^<]*)<\/td>/g).map((td) => td[1]),
    ]);
    const number = new Intl.NumberFormat('en-GB');
    expect(rows).toEqual(
      buckets.map((b) => [b.start, number.format(b.opens), number.format(b.cumulative)]),
    );
    // Each bar's own label says the same number as its table row.
    const labels = opensRows(buckets, 'en');
    const barTitles = all(
      element(html, 'svg'),
      /<rect class="chart__bar"[^>]*><title>([^<]*)<\/title>/g,
    );
    expect(barTitles.map((m) => m[1])).toEqual(labels.map((l, i) => `${l.label}: ${rows[i]![1]}`));
  });

  it('labels weekly rows with their first and last day', () => {
    const [row] = opensRows(
      [{ start: '2026-02-01', end: '2026-02-07', opens: 1, cumulative: 1 }],
      'ja',
    );
    // 〜 and "to" are read out; "–" is skipped by some screen readers ("1 February 7 February").
    expect(row!.label).toBe('2026年2月1日〜2026年2月7日');
    expect(row!.tick).toBe('2月1日');
    const [en] = opensRows(
      [{ start: '2026-02-01', end: '2026-02-07', opens: 1, cumulative: 1 }],
      'en',
    );
    expect(en!.label).toBe('1 February 2026 to 7 February 2026');
  });
});
