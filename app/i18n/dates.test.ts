import { describe, expect, it } from 'vitest';
import { formatDate, formatDateBoth, formatDateTime, rangeText, tokyoDate } from './dates.ts';

describe('dates in Asia/Tokyo', () => {
  // 2026-11-21 15:30 UTC is already 2026-11-22 00:30 in Japan.
  const lateUtc = new Date('2026-11-21T15:30:00Z');

  it('computes the calendar day in Japan, not in the server zone', () => {
    expect(tokyoDate(lateUtc)).toBe('2026-11-22');
    expect(tokyoDate(new Date('2026-11-21T14:59:59Z'))).toBe('2026-11-21');
  });

  it('formats the Japanese era', () => {
    expect(formatDate(new Date('2026-11-21T03:00:00Z'), 'ja', 'japanese')).toBe('令和8年11月21日');
    expect(formatDate(lateUtc, 'ja', 'japanese')).toBe('令和8年11月22日');
    // The first year of an era is 元年.
    expect(formatDate(new Date('2019-05-01T03:00:00Z'), 'ja', 'japanese')).toBe('令和元年5月1日');
    expect(formatDate(new Date('2019-04-30T03:00:00Z'), 'ja', 'japanese')).toBe('平成31年4月30日');
  });

  it('formats Gregorian dates in both languages', () => {
    expect(formatDate(lateUtc, 'ja')).toBe('2026年11月22日');
    expect(formatDate(lateUtc, 'en')).toBe('22 November 2026');
    expect(formatDateTime(lateUtc, 'ja')).toBe('2026年11月22日 00:30');
  });

  it('shows both calendars together', () => {
    expect(formatDateBoth(lateUtc, 'ja')).toBe('令和8年11月22日（2026年11月22日）');
    expect(formatDateBoth(lateUtc, 'en')).toBe('22 November 2026 (22 November Reiwa 8)');
  });

  it('writes the era before its year in English, as the era is said (Reiwa 8, not 8 Reiwa)', () => {
    expect(formatDate(lateUtc, 'en', 'japanese')).toBe('22 November Reiwa 8');
    expect(formatDate(new Date('2019-05-01T03:00:00Z'), 'en', 'japanese')).toBe('1 May Reiwa 1');
    expect(formatDate(new Date('2019-04-30T03:00:00Z'), 'en', 'japanese')).toBe(
      '30 April Heisei 31',
    );
    expect(formatDateTime(lateUtc, 'en', 'japanese')).toMatch(/^22 November Reiwa 8\b.*00:30$/);
  });

  it('writes a range in words speech reads out: 〜 in Japanese, "to" in English', () => {
    expect(rangeText('2026年2月1日', '2026年2月7日', 'ja')).toBe('2026年2月1日〜2026年2月7日');
    expect(rangeText('1 February 2026', '7 February 2026', 'en')).toBe(
      '1 February 2026 to 7 February 2026',
    );
  });
});
