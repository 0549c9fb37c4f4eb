import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/locales.ts';
import { buildBuckets, type MonthlyTotal } from './delivery.ts';
import { deliveryCsv } from './delivery-csv.ts';
import { formatMonth, formatRate, monthlyView } from './delivery-view.ts';
import { japanMonth, monthStart, parseMonth, readPeriod } from './period.ts';

const params = (query: Record<string, string>) => new URLSearchParams(query);
const now = new Date('2026-01-31T15:30:00Z'); // 1 February 2026, 00:30 in Japan

describe('Japan months', () => {
  it('an instant belongs to its month in Japan', () => {
    expect(japanMonth(now)).toBe('2026-02');
    expect(japanMonth(new Date('2026-01-31T14:59:59Z'))).toBe('2026-01');
    expect(monthStart('2026-02').toISOString()).toBe('2026-01-31T15:00:00.000Z');
  });

  it('reads months typed in several ways', () => {
    expect(parseMonth('2026-01')).toBe('2026-01');
    expect(parseMonth('2026/1')).toBe('2026-01');
    expect(parseMonth('２０２６－０３')).toBe('2026-03');
    expect(parseMonth('2026-13')).toBeNull();
    expect(parseMonth('January')).toBeNull();
  });
});

describe('the period form', () => {
  it('defaults to the last 12 months, this month included', () => {
    expect(readPeriod(params({}), now)).toMatchObject({
      ok: true,
      period: { from: '2025-03', to: '2026-02' },
    });
    expect(readPeriod(params({ from: '2025-06' }), now)).toMatchObject({
      ok: true,
      period: { from: '2025-06', to: '2026-02' },
    });
  });

  it('names the field that is wrong', () => {
    expect(readPeriod(params({ from: 'x', to: '2026-01' }), now)).toMatchObject({
      ok: false,
      errors: { from: 'errors.month' },
    });
    expect(readPeriod(params({ from: '2026-02', to: '2026-01' }), now)).toMatchObject({
      ok: false,
      errors: { to: 'errors.range' },
    });
    expect(readPeriod(params({ from: '2000-01', to: '2026-01' }), now)).toMatchObject({
      ok: false,
      errors: { from: 'errors.tooLong' },
    });
  });
});

describe('opens over time', () => {
  it('fills days without opens and keeps a running total', () => {
    const { step, buckets } = buildBuckets(
      '2026-02-27',
      '2026-03-02',
      new Map([
        [0, 2],
        [3, 1],
      ]),
    );
    expect(step).toBe('day');
    // Across the end of February: 27, 28 February, 1 and 2 March.
    expect(buckets.map((b) => [b.start, b.opens, b.cumulative])).toEqual([
      ['2026-02-27', 2, 2],
      ['2026-02-28', 0, 2],
      ['2026-03-01', 0, 2],
      ['2026-03-02', 1, 3],
    ]);
  });

  it('switches to weeks after 60 days; the last week ends on the last day', () => {
    expect(buildBuckets('2026-01-01', '2026-03-01', new Map()).step).toBe('day'); // 60 days
    const { step, buckets } = buildBuckets('2026-01-01', '2026-03-02', new Map([[8, 5]]));
    expect(step).toBe('week');
    expect(buckets).toHaveLength(9);
    expect(buckets.at(-1)).toEqual({
      start: '2026-02-26',
      end: '2026-03-02',
      opens: 5,
      cumulative: 5,
    });
  });
});

describe('formatting', () => {
  it('rates to one decimal place, none without deliveries', () => {
    expect(formatRate(0.5, 'ja')).toBe('50.0%');
    expect(formatRate(2 / 3, 'en')).toBe('66.7%');
    expect(formatRate(null, 'en')).toBeNull();
    expect(formatMonth('2026-02', 'ja')).toBe('2026年2月');
    expect(formatMonth('2026-02', 'en')).toBe('February 2026');
  });

  it('groups digits per locale and totals the period', () => {
    const totals: MonthlyTotal[] = [
      {
        month: '2025-01',
        category: 'broadcast',
        notices: 3,
        deliveries: 171_740_450,
        opens: 8_489_402,
        openRate: 8_489_402 / 171_740_450,
      },
      {
        month: '2025-01',
        category: 'targeted',
        notices: 0,
        deliveries: 0,
        opens: 0,
        openRate: null,
      },
    ];
    const [broadcast, targeted] = monthlyView(totals, 'en');
    expect(broadcast!.rows[0]).toEqual({
      month: '2025-01',
      monthText: 'January 2025',
      notices: '3',
      deliveries: '171,740,450',
      opens: '8,489,402',
      openRate: '4.9%',
    });
    expect(targeted!.total).toEqual({ notices: '0', deliveries: '0', opens: '0', openRate: null });
  });
});

describe('the CSV export', () => {
  it('has a BOM, a header in the reader’s language, plain numbers and CRLF', () => {
    const totals: MonthlyTotal[] = [
      {
        month: '2026-02',
        category: 'targeted',
        notices: 1,
        deliveries: 2,
        opens: 1,
        openRate: 0.5,
      },
      {
        month: '2026-03',
        category: 'broadcast',
        notices: 0,
        deliveries: 0,
        opens: 0,
        openRate: null,
      },
      {
        month: '2026-04',
        category: 'targeted',
        notices: 2,
        deliveries: 3_000,
        opens: 2_000,
        openRate: 2 / 3,
      },
    ];
    const ja = deliveryCsv(totals, translator('ja'));
    expect(ja.startsWith('\uFEFF対象月,種類,お知らせの件数,配信数,開封数,開封率（%）\r\n')).toBe(
      true,
    );
    expect(ja.split('\r\n').slice(1)).toEqual([
      '2026-02,府省庁・自治体からのお知らせ,1,2,1,50.0',
      '2026-03,運営主体お知らせ,0,0,0,',
      '2026-04,府省庁・自治体からのお知らせ,2,3000,2000,66.7',
      '',
    ]);
    expect(deliveryCsv(totals, translator('en'))).toContain(
      'Month,Kind,Notices,Deliveries,Opens,Open rate (%)\r\n2026-02,Notices from ministries and municipalities,1,2,1,50.0\r\n',
    );
  });
});
