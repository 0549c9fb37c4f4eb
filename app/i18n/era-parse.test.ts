import { describe, expect, it } from 'vitest';
import { eraLastDay, parseTypedDate, parseTypedYear } from './typed-dates.ts';

describe('reading a typed year', () => {
  it('reads Western years, also in full-width digits', () => {
    expect(parseTypedYear('1948')).toEqual({ era: null, year: 1948 });
    expect(parseTypedYear('１９４８')).toEqual({ era: null, year: 1948 });
    expect(parseTypedYear(' 1948年 ')).toEqual({ era: null, year: 1948 });
  });

  it('reads era years in kanji, one kanji, or the letter', () => {
    expect(parseTypedYear('昭和23')).toEqual({ era: 'showa', year: 23 });
    expect(parseTypedYear('昭和２３年')).toEqual({ era: 'showa', year: 23 });
    expect(parseTypedYear('昭23')).toEqual({ era: 'showa', year: 23 });
    expect(parseTypedYear('S23')).toEqual({ era: 'showa', year: 23 });
    expect(parseTypedYear('s.23')).toEqual({ era: 'showa', year: 23 });
    expect(parseTypedYear('Ｈ３')).toEqual({ era: 'heisei', year: 3 });
    expect(parseTypedYear('令和8')).toEqual({ era: 'reiwa', year: 8 });
    expect(parseTypedYear('大正15')).toEqual({ era: 'taisho', year: 15 });
  });

  it('reads 元年 as the first year', () => {
    expect(parseTypedYear('平成元年')).toEqual({ era: 'heisei', year: 1 });
    expect(parseTypedYear('令和元')).toEqual({ era: 'reiwa', year: 1 });
  });

  it('refuses what is not a year', () => {
    for (const text of ['', '昭和', 'X23', '昭和0', '西暦', 'abc', '12345', '昭和123'])
      expect(parseTypedYear(text), text).toBeNull();
  });
});

describe('reading a typed date', () => {
  it('converts era dates to the Western calendar', () => {
    expect(parseTypedDate('昭和23', '5', '6')).toEqual({ ok: true, date: '1948-05-06' });
    expect(parseTypedDate('1948', '05', '06')).toEqual({ ok: true, date: '1948-05-06' });
    expect(parseTypedDate('平成元年', '1', '8')).toEqual({ ok: true, date: '1989-01-08' });
    expect(parseTypedDate('令和元', '5', '1')).toEqual({ ok: true, date: '2019-05-01' });
    expect(parseTypedDate('S55', '４', '１')).toEqual({ ok: true, date: '1980-04-01' });
  });

  it('keeps each era within its days', () => {
    expect(parseTypedDate('昭和64', '1', '7')).toEqual({ ok: true, date: '1989-01-07' });
    expect(parseTypedDate('昭和64', '1', '8')).toEqual({ ok: false, reason: 'era', era: 'showa' });
    expect(parseTypedDate('平成元', '1', '7')).toEqual({ ok: false, reason: 'era', era: 'heisei' });
    expect(parseTypedDate('平成31', '4', '30')).toEqual({ ok: true, date: '2019-04-30' });
    expect(parseTypedDate('平成31', '5', '1')).toEqual({ ok: false, reason: 'era', era: 'heisei' });
    expect(parseTypedDate('令和元', '4', '30')).toEqual({ ok: false, reason: 'era', era: 'reiwa' });
    expect(parseTypedDate('大正15', '12', '24')).toEqual({ ok: true, date: '1926-12-24' });
    expect(parseTypedDate('大正15', '12', '25')).toEqual({
      ok: false,
      reason: 'era',
      era: 'taisho',
    });
    expect(parseTypedDate('昭和元', '12', '25')).toEqual({ ok: true, date: '1926-12-25' });
    expect(parseTypedDate('昭和70', '1', '1')).toEqual({ ok: false, reason: 'era', era: 'showa' });
    expect(eraLastDay('showa')).toBe('1989-01-07');
    expect(eraLastDay('reiwa')).toBeNull();
  });

  it('refuses days that do not exist and years that are not years', () => {
    expect(parseTypedDate('1968', '2', '30')).toEqual({ ok: false, reason: 'date' });
    expect(parseTypedDate('昭和43', '2', '29')).toEqual({ ok: true, date: '1968-02-29' });
    expect(parseTypedDate('昭和42', '2', '29')).toEqual({ ok: false, reason: 'date' });
    expect(parseTypedDate('1980', '13', '1')).toEqual({ ok: false, reason: 'date' });
    expect(parseTypedDate('1980', '', '1')).toEqual({ ok: false, reason: 'date' });
    expect(parseTypedDate('1980', 'x', '1')).toEqual({ ok: false, reason: 'date' });
    expect(parseTypedDate('昭和', '1', '1')).toEqual({ ok: false, reason: 'year' });
  });
});
