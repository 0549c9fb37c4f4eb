import { describe, expect, it } from 'vitest';
import { userText } from './user-text.ts';
import { csvCell } from '../csv/csv-write.ts';

describe('userText', () => {
  it('shows every bidirectional control as a visible code, so nothing is reordered', () => {
    expect(userText('Pay \u202Egnp.exe')).toBe('Pay ⟨U+202E⟩gnp.exe');
    const controls = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C';
    expect(userText(controls)).toBe(
      '⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩⟨U+202E⟩⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩⟨U+2069⟩⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩',
    );
  });

  it('leaves other text alone, right-to-left scripts and Japanese included', () => {
    for (const text of ['髙橋　花子', 'שלום', 'مرحبا', 'a\u0001b', '', 'x\u200Dy'])
      expect(userText(text)).toBe(text);
    expect(userText(null)).toBeNull();
    expect(userText(undefined)).toBeUndefined();
  });
});

describe('csvCell', () => {
  it('shows bidirectional controls as codes, defuses formulas and quotes when needed', () => {
    expect(csvCell('a\u202Eb')).toBe('a⟨U+202E⟩b');
    expect(csvCell('\u202E=1+2')).toBe('⟨U+202E⟩=1+2');
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
  });
});
