import { describe, expect, it } from 'vitest';
import { demoResidents } from './residents.data.ts';

const IDEOGRAPHIC_SPACE = '\u3000';
/** Katakana (ァ–ヺ, including ヴ), ・ (U+30FB), ー (U+30FC) and U+3000 only. */
const KANA = /^[\u30A1-\u30FA\u30FB\u30FC\u3000]+$/u;
const REGISTERED_LATIN = /^[A-Z]+(?: [A-Z]+)+$/;

const MUNICIPALITIES: Record<string, string> = {
  '142107': '三浦市',
  '142018': '横須賀市',
  '142085': '逗子市',
};

/** Written as escapes so that an editor or formatter cannot normalise them away. */
const REQUIRED_CHARACTERS = [
  '\u{20BB7}', // 𠮷
  '\u9AD9', // 髙
  '\uFA11', // 﨑
  '\u5FB7', // 德
  '\u908A', // 邊
  '\u9089', // 邉
  '\u9F4B', // 齋
];

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

function countOf(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('demoResidents', () => {
  it('has at least 36 residents', () => {
    expect(demoResidents.length).toBeGreaterThanOrEqual(36);
  });

  it('has unique 11-digit register codes', () => {
    const codes = demoResidents.map((r) => r.registerCode);
    for (const code of codes) expect(code).toMatch(/^[0-9]{11}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('has register codes that do not look sequential', () => {
    const runs = /0123|1234|2345|3456|4567|5678|6789|9876|8765|7654|6543|5432|4321|3210|(\d)\1{3}/;
    for (const { registerCode } of demoResidents) expect(registerCode).not.toMatch(runs);
    const prefixes = demoResidents.map((r) => r.registerCode.slice(0, 6));
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('has kana readings made only of katakana, ー, ・ and U+3000', () => {
    for (const { nameKana } of demoResidents) {
      expect(nameKana).toMatch(KANA);
      expect(nameKana).toContain(IDEOGRAPHIC_SPACE);
      expect(nameKana).not.toMatch(/^\u3000|\u3000$|\u3000\u3000/);
    }
  });

  it('has birth dates that are real calendar dates from 1935 to 2008', () => {
    for (const { birthDate } of demoResidents) {
      expect(isCalendarDate(birthDate), birthDate).toBe(true);
      expect(birthDate >= '1935-01-01' && birthDate <= '2008-12-31', birthDate).toBe(true);
    }
    const years = new Set(demoResidents.map((r) => r.birthDate.slice(0, 3)));
    expect([...years].sort()).toEqual(['193', '194', '195', '196', '197', '198', '199', '200']);
  });

  it('has card numbers of 12 uppercase alphanumerics, and three residents without a card', () => {
    const numbers = demoResidents.map((r) => r.cardManufactureNumber);
    for (const number of numbers) {
      if (number !== null) expect(number).toMatch(/^[0-9A-Z]{12}$/);
    }
    expect(numbers.filter((n) => n === null)).toHaveLength(3);
    const issued = numbers.filter((n) => n !== null);
    expect(new Set(issued).size).toBe(issued.length);
  });

  it('includes each character that has to survive storage, export and rendering', () => {
    for (const character of REQUIRED_CHARACTERS) {
      expect(
        demoResidents.some((r) => r.name.includes(character)),
        `U+${character.codePointAt(0)?.toString(16).toUpperCase()}`,
      ).toBe(true);
    }
    // Unicode normalisation must not change any name (e.g. 﨑 must not become 崎).
    for (const { name } of demoResidents) expect(name.normalize('NFC')).toBe(name);
  });

  it('has at least 5 foreign residents with a registered Latin name', () => {
    const foreign = demoResidents.filter((r) => r.nameLatin !== null);
    expect(foreign.length).toBeGreaterThanOrEqual(5);
    for (const r of foreign) {
      expect(r.nameLatin).toMatch(REGISTERED_LATIN);
      // Either the Latin name itself, or a kanji name (e.g. a Chinese resident).
      if (/[A-Z]/.test(r.name)) expect(r.name).toBe(r.nameLatin);
      else expect(countOf(r.name, IDEOGRAPHIC_SPACE)).toBe(1);
    }
  });

  it('writes Japanese names as family name, U+3000, given name', () => {
    for (const r of demoResidents.filter((r) => r.nameLatin === null)) {
      expect(countOf(r.name, IDEOGRAPHIC_SPACE), r.name).toBe(1);
      expect(countOf(r.nameKana, IDEOGRAPHIC_SPACE), r.nameKana).toBe(1);
      expect(r.name).not.toMatch(/[ -~]/); // no half-width (ASCII) characters
    }
  });

  it('uses matching municipality codes, names and addresses', () => {
    for (const r of demoResidents) {
      expect(MUNICIPALITIES[r.municipalityCode]).toBe(r.municipalityName);
      expect(r.address.startsWith(`神奈川県${r.municipalityName}`), r.address).toBe(true);
      expect(r.address).toMatch(/[0-9]+(?:番地|番|号)/);
    }
    const count = (code: string) => demoResidents.filter((r) => r.municipalityCode === code).length;
    expect(count('142018')).toBe(4);
    expect(count('142085')).toBe(2);
    expect(count('142107')).toBe(demoResidents.length - 6);
  });
});
