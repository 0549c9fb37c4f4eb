import { describe, expect, it } from 'vitest';
import { appointmentIcs, escapeIcsText, foldIcsLine } from './ics.ts';

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');

describe('appointmentIcs', () => {
  const location =
    '神奈川県三浦市城山町1番1号 三浦市役所本館1階 市民課窓口、マイナンバーカード交付コーナー; 車椅子の方は北口のスロープから';
  const ics = appointmentIcs({
    uid: 'booking-1@madoguchi.example.jp',
    start: new Date('2027-01-15T01:30:00.000Z'),
    end: new Date('2027-01-15T02:00:00.000Z'),
    stamp: new Date('2026-12-03T00:00:00.000Z'),
    summary: 'マイナンバーカードの受け取り',
    location,
    description: '1行目\n2行目',
  });

  it('ends every line with CRLF and folds at 75 octets without cutting a character', () => {
    expect(ics.endsWith('\r\n')).toBe(true);
    const lines = ics.slice(0, -2).split('\r\n');
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      expect(line).not.toMatch(/[\r\n\uFFFD]/);
    }
    expect(lines.filter((l) => l.startsWith(' ')).length).toBeGreaterThan(1);
  });

  it('reads back: the unfolded properties are the appointment', () => {
    const props = unfold(ics).split('\r\n');
    expect(props).toContain('DTSTART:20270115T013000Z');
    expect(props).toContain('DTEND:20270115T020000Z');
    expect(props).toContain('UID:booking-1@madoguchi.example.jp');
    expect(props).toContain(`LOCATION:${escapeIcsText(location)}`);
    expect(props).toContain('DESCRIPTION:1行目\\n2行目');
    expect(props.slice(0, 2)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0']);
    expect(props).toContain('BEGIN:VEVENT');
  });

  it('escapes TEXT values', () => {
    expect(escapeIcsText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
  });

  it('keeps short lines whole', () => {
    expect(foldIcsLine('SUMMARY:short')).toBe('SUMMARY:short');
    expect(foldIcsLine('X:' + 'あ'.repeat(40))).toBe(
      'X:' + 'あ'.repeat(24) + '\r\n ' + 'あ'.repeat(16),
    );
  });

  it('refuses an appointment that ends before it starts', () => {
    const at = new Date('2027-01-15T01:30:00Z');
    expect(() => appointmentIcs({ uid: 'x', start: at, end: at, summary: 's' })).toThrow();
  });
});
