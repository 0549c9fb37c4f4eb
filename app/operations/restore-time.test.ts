import { describe, expect, it } from 'vitest';
import { parseRestoreTime } from './restore.service.server.ts';

describe('the time a restore goes back to', () => {
  it('is Japan time when typed without an offset, the given instant otherwise', () => {
    const instant = new Date('2026-12-01T01:00:00Z');
    expect(parseRestoreTime('2026-12-01T10:00')).toEqual(instant);
    expect(parseRestoreTime(' 2026-12-01 10:00:00 ')).toEqual(instant);
    expect(parseRestoreTime('2026-12-01T01:00Z')).toEqual(instant);
  });

  it('refuses what is no time', () => {
    for (const text of ['yesterday', '2026-02-30T10:00', '2026-12-01T25:00'])
      expect(() => parseRestoreTime(text)).toThrow('not a time');
  });
});
