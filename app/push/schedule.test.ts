import { describe, expect, it } from 'vitest';
import {
  allowedIntervals,
  isQuiet,
  nextAllowed,
  parseQuietHours,
  spreadStarts,
} from './schedule.ts';
import { uuidRanges } from './ranges.ts';
import { tokyoDate } from '../i18n/dates.ts';

const at = (iso: string) => new Date(iso);
const quiet = parseQuietHours('21:00-08:00');

describe('quiet hours (Asia/Tokyo)', () => {
  it('parses and refuses', () => {
    expect(quiet).toEqual({ start: 1260, end: 480 });
    expect(parseQuietHours('off')).toBeNull();
    expect(parseQuietHours('12:00-12:00')).toBeNull();
    expect(() => parseQuietHours('25:00-08:00')).toThrow();
    expect(() => parseQuietHours('nine to five')).toThrow();
  });

  it('knows 20:59 from 21:00 and 07:59 from 08:00, Tokyo time', () => {
    expect(isQuiet(at('2026-11-22T11:59:00Z'), quiet)).toBe(false); // 20:59
    expect(isQuiet(at('2026-11-22T12:00:00Z'), quiet)).toBe(true); // 21:00
    expect(isQuiet(at('2026-11-22T22:59:59Z'), quiet)).toBe(true); // 07:59:59
    expect(isQuiet(at('2026-11-22T23:00:00Z'), quiet)).toBe(false); // 08:00
    const daytime = parseQuietHours('12:00-13:00');
    expect(isQuiet(at('2026-11-22T03:30:00Z'), daytime)).toBe(true);
    expect(isQuiet(at('2026-11-22T04:00:00Z'), daytime)).toBe(false);
  });

  it('waits until 08:00 from inside quiet hours, and not at all outside them', () => {
    expect(nextAllowed(at('2026-11-22T14:00:00Z'), quiet).toISOString()).toBe(
      '2026-11-22T23:00:00.000Z',
    );
    expect(nextAllowed(at('2026-11-22T16:00:00Z'), quiet).toISOString()).toBe(
      '2026-11-22T23:00:00.000Z',
    );
    expect(nextAllowed(at('2026-11-22T05:00:00Z'), quiet).toISOString()).toBe(
      '2026-11-22T05:00:00.000Z',
    );
  });
});

describe('spreading batches over a window', () => {
  it('a week from Monday 10:00 has seven days of 13 sending hours (11 h on the first day, 2 h on the last)', () => {
    const start = at('2026-11-23T01:00:00Z'); // 10:00 Tokyo
    const end = new Date(start.getTime() + 7 * 86_400_000);
    const intervals = allowedIntervals(start, end, quiet);
    const hours = intervals.reduce((s, [a, b]) => s + (b.getTime() - a.getTime()), 0) / 3600_000;
    expect(hours).toBe(7 * 13);
    expect(intervals).toHaveLength(8);
  });

  it('never starts a batch in quiet hours or outside the window, in order and evenly', () => {
    const start = at('2026-11-23T01:00:00Z');
    const end = new Date(start.getTime() + 7 * 86_400_000);
    const starts = spreadStarts(start, end, quiet, 1000);
    expect(starts).toHaveLength(1000);
    for (const s of starts) {
      expect(isQuiet(s, quiet)).toBe(false);
      expect(s >= start && s < end).toBe(true);
    }
    for (let i = 1; i < starts.length; i++) expect(starts[i]! >= starts[i - 1]!).toBe(true);
    // Each full sending day gets its share: 91 allowed hours, 1000 batches → 142.9 a day.
    const perDay = new Map<string, number>();
    for (const s of starts) {
      const day = tokyoDate(s);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    expect(Math.max(...[...perDay.values()].slice(1, -1))).toBeLessThanOrEqual(144);
    expect(Math.min(...[...perDay.values()].slice(1, -1))).toBeGreaterThanOrEqual(142);
  });

  it('a zero window starts everything at once, or at 08:00 when published at night', () => {
    const noon = at('2026-11-23T03:00:00Z');
    expect(new Set(spreadStarts(noon, noon, quiet, 5).map(String))).toEqual(
      new Set([String(noon)]),
    );
    const night = at('2026-11-23T13:00:00Z');
    expect(spreadStarts(night, night, quiet, 2).map((d) => d.toISOString())).toEqual([
      '2026-11-23T23:00:00.000Z',
      '2026-11-23T23:00:00.000Z',
    ]);
    expect(spreadStarts(night, night, null, 1)).toEqual([night]);
  });
});

describe('registration id ranges', () => {
  it('cover the whole uuid space without overlap', () => {
    const ranges = uuidRanges(7);
    expect(ranges[0]!.lo).toBe('00000000-0000-0000-0000-000000000000');
    expect(ranges.at(-1)!.hi).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
    for (let i = 1; i < ranges.length; i++) {
      expect(ranges[i]!.lo).toBe(ranges[i - 1]!.hi);
      expect(ranges[i]!.lo < ranges[i]!.hi).toBe(true);
    }
  });
});
