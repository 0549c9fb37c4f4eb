import { describe, expect, it } from 'vitest';
import {
  addDays,
  calendarDate,
  daysBetween,
  formatDate,
  formatDateBoth,
  formatDateTime,
  fromTokyoDateTimeLocal,
  isCalendarDate,
  rangeText,
  toTokyoDateTimeLocal,
  tokyoDate,
  tokyoDayEnd,
  tokyoDayStart,
  tokyoIsoString,
  TIME_ZONE,
} from './dates.ts';
import { parseDateText, parseTypedDate } from './typed-dates.ts';

describe('dates in Asia/Tokyo', () => {
  // 2026-11-21 15:30 UTC is already 2026-11-22 00:30 in Japan.
  const lateUtc = new Date('2026-11-21T15:30:00Z');

  it('computes the calendar day in Japan, not in the server zone', () => {
    expect(tokyoDate(lateUtc)).toBe('2026-11-22');
    expect(tokyoDate(new Date('2026-11-21T14:59:59Z'))).toBe('2026-11-21');
  });

  it('gives the day the Asia/Tokyo time zone data gives, for any instant', () => {
    const zone = new Intl.DateTimeFormat('en-CA', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    // Day edges (14:59:59.999 / 15:00 UTC), leap days, Japan's summer time of 1948–1951, and
    // instants spread over 1900–2100.
    const instants = [
      '1949-07-29T14:42:02Z',
      '1951-09-07T15:30:00Z',
      '2028-02-28T15:00:00Z',
      '2028-02-29T14:59:59.999Z',
      '1999-12-31T15:00:00Z',
      '2100-02-28T15:00:00Z',
    ].map((t) => new Date(t));
    for (let i = 0; i < 2000; i++)
      instants.push(new Date(Date.UTC(1900, 0, 1) + Math.random() * 200 * 365.25 * 86_400_000));
    for (const at of instants) expect(tokyoDate(at), at.toISOString()).toBe(zone.format(at));
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

describe('calendar dates', () => {
  it('knows which days exist, leap days included', () => {
    expect(calendarDate(2028, 2, 29)).toBe('2028-02-29');
    expect(calendarDate(2026, 2, 29)).toBeNull();
    expect(calendarDate(2000, 2, 29)).toBe('2000-02-29'); // divisible by 400
    expect(calendarDate(1900, 2, 29)).toBeNull(); // a century, not by 400
    expect(calendarDate(2026, 13, 1)).toBeNull();
    expect(calendarDate(2026, 4, 31)).toBeNull();
    expect(calendarDate(2026, 0, 1)).toBeNull();
    expect(calendarDate(2026, 1.5, 1)).toBeNull();
    expect(calendarDate(Number.NaN, 1, 1)).toBeNull();
    // Years below 100 are those years, not 1900 + year.
    expect(calendarDate(99, 12, 31)).toBe('0099-12-31');
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-2-1')).toBe(false);
    expect(isCalendarDate('2026-02-01T00:00')).toBe(false);
  });

  it('counts days across month ends, year ends and leap days', () => {
    expect(daysBetween('2025-12-31', '2026-01-01')).toBe(1);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-02-28', '2026-03-01')).toBe(1);
    expect(daysBetween('2026-04-01', '2026-03-31')).toBe(-1);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-31', -31)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(() => addDays('31/12/2026', 1)).toThrow('not a calendar date');
  });
});

describe('day boundaries in Japan', () => {
  it('begins a day at midnight in Tokyo, 15:00 UTC the day before', () => {
    expect(tokyoDayStart('2026-11-22').toISOString()).toBe('2026-11-21T15:00:00.000Z');
    expect(tokyoDayStart('2026-11-22', 1).toISOString()).toBe('2026-11-22T15:00:00.000Z');
    expect(tokyoDayStart('2026-11-22', -22).toISOString()).toBe('2026-10-30T15:00:00.000Z');
    expect(tokyoDayEnd('2026-11-22').toISOString()).toBe('2026-11-22T15:00:00.000Z');
    expect(tokyoDayStart('2027-01-01').toISOString()).toBe('2026-12-31T15:00:00.000Z');
    expect(tokyoDayEnd('2028-02-28').toISOString()).toBe('2028-02-28T15:00:00.000Z');
    expect(tokyoDayEnd('2028-02-29').toISOString()).toBe('2028-02-29T15:00:00.000Z');
  });

  it('agrees with the Tokyo calendar on both sides of every boundary', () => {
    const days = [
      '2026-11-22',
      '2026-12-31',
      '2027-01-01',
      '2028-02-29',
      '2019-04-30',
      '1989-01-07',
    ];
    for (const day of days) {
      const start = tokyoDayStart(day);
      const end = tokyoDayEnd(day);
      expect(tokyoDate(start), day).toBe(day);
      expect(tokyoDate(new Date(end.getTime() - 1)), day).toBe(day);
      expect(tokyoDate(new Date(start.getTime() - 1)), day).toBe(addDays(day, -1));
      expect(tokyoDate(end), day).toBe(addDays(day, 1));
    }
  });

  it('hands a date without a time to the formatters as that same day', () => {
    // The era changed at midnight in Japan: the day before is the old era, the day the new.
    expect(formatDate(tokyoDayStart('2019-04-30'), 'ja', 'japanese')).toBe('平成31年4月30日');
    expect(formatDate(tokyoDayStart('2019-05-01'), 'ja', 'japanese')).toBe('令和元年5月1日');
    expect(formatDate(tokyoDayStart('1989-01-07'), 'ja', 'japanese')).toBe('昭和64年1月7日');
    expect(formatDate(tokyoDayStart('1989-01-08'), 'ja', 'japanese')).toBe('平成元年1月8日');
    expect(formatDateBoth(tokyoDayStart('2028-02-29'), 'ja')).toBe(
      '令和10年2月29日（2028年2月29日）',
    );
    // Japan kept summer time from 1948 to 1951: midnight JST was 01:00 then, the same day.
    expect(formatDate(tokyoDayStart('1949-07-01'), 'ja', 'japanese')).toBe('昭和24年7月1日');
    expect(formatDate(tokyoDayEnd('2026-11-21'), 'en')).toBe('22 November 2026');
  });

  it('writes an instant with the offset, as the clock in Japan reads it', () => {
    expect(tokyoIsoString(new Date('2026-11-21T15:30:00Z'))).toBe('2026-11-22T00:30:00.000+09:00');
    expect(tokyoIsoString(new Date('2026-11-21T14:59:59.999Z'))).toBe(
      '2026-11-21T23:59:59.999+09:00',
    );
    expect(new Date(tokyoIsoString(new Date('2028-02-29T15:00:00Z'))).toISOString()).toBe(
      '2028-02-29T15:00:00.000Z',
    );
  });
});

describe('datetime-local values in Japan time', () => {
  it('shows an instant as the wall clock in Tokyo', () => {
    expect(toTokyoDateTimeLocal(new Date('2026-11-21T15:00:00Z'))).toBe('2026-11-22T00:00');
    expect(toTokyoDateTimeLocal(new Date('2026-11-21T14:59:00Z'))).toBe('2026-11-21T23:59');
    expect(toTokyoDateTimeLocal(new Date('2028-02-28T15:00:00Z'))).toBe('2028-02-29T00:00');
  });

  it('reads a wall-clock time in Tokyo as its instant, and refuses impossible ones', () => {
    expect(fromTokyoDateTimeLocal('2026-12-01T09:00')?.toISOString()).toBe(
      '2026-12-01T00:00:00.000Z',
    );
    expect(fromTokyoDateTimeLocal('2026-11-22T00:00')?.toISOString()).toBe(
      '2026-11-21T15:00:00.000Z',
    );
    expect(fromTokyoDateTimeLocal('2026-11-22T08:59:30')?.toISOString()).toBe(
      '2026-11-21T23:59:30.000Z',
    );
    expect(fromTokyoDateTimeLocal('2028-02-29T12:00')?.toISOString()).toBe(
      '2028-02-29T03:00:00.000Z',
    );
    for (const value of [
      '2026-02-29T12:00',
      '2026-02-30T09:00',
      '2026-12-01T24:00',
      '2026-12-01T23:60',
      '2026-12-01T23:59:60',
      '2026-12-01',
      '2026-12-01 09:00',
    ])
      expect(fromTokyoDateTimeLocal(value), value).toBeNull();
    const now = new Date('2026-12-02T03:04:00Z');
    expect(fromTokyoDateTimeLocal(toTokyoDateTimeLocal(now))).toEqual(now);
  });
});

describe('和暦 at era boundaries and on leap days', () => {
  it('reads and writes the same day', () => {
    for (const [era, month, day, iso] of [
      ['平成31', '4', '30', '2019-04-30'],
      ['令和元', '5', '1', '2019-05-01'],
      ['令和2', '2', '29', '2020-02-29'],
      ['平成12', '2', '29', '2000-02-29'],
    ] as const) {
      const parsed = parseTypedDate(era, month, day);
      expect(parsed).toEqual({ ok: true, date: iso });
      expect(formatDate(tokyoDayStart(iso), 'ja', 'japanese')).toBe(`${era}年${month}月${day}日`);
    }
    expect(parseTypedDate('令和3', '2', '29')).toEqual({ ok: false, reason: 'date' });
  });
});

describe('parseDateText', () => {
  it.each([
    ['R6.4.1', '2024-04-01'],
    ['令和6年4月1日', '2024-04-01'],
    ['S55.12.3', '1980-12-03'],
    ['昭和55年12月3日', '1980-12-03'],
    ['平成元年5月1日', '1989-05-01'],
    ['H1/5/1', '1989-05-01'],
    ['h31.4.30', '2019-04-30'],
    ['令和元年5月1日', '2019-05-01'],
    ['1980-12-03', '1980-12-03'],
    ['1980/12/3', '1980-12-03'],
    ['１９８０年１２月３日', '1980-12-03'],
    [' 2028-02-29 ', '2028-02-29'],
  ])('%s is %s', (text, date) => {
    expect(parseDateText(text)).toEqual({ ok: true, date });
  });

  it.each([
    ['令和0年4月1日', 'year'],
    ['2026年2月30日', 'date'],
    ['2027-02-29', 'date'],
    ['平成31年5月1日', 'era'],
    ['昭和64年1月8日', 'era'],
    ['X6.4.1', 'year'],
    ['', 'year'],
    ['19801203', 'date'],
  ])('%s is refused (%s)', (text, reason) => {
    expect(parseDateText(text)).toMatchObject({ ok: false, reason });
  });
});
