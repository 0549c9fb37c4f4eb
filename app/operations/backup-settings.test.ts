import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.server.ts';
import { dailyCronUtc } from './backup-settings.ts';

describe('backup settings', () => {
  it('are on with the embedded server and off with an external one unless asked', () => {
    expect(parseEnv({ MADOGUCHI_DATA_DIR: '/srv/m' }).backups).toEqual({
      enabled: true,
      dir: '/srv/m/backups',
      retentionDays: 30,
      time: { hour: 3, minute: 0 },
      encrypt: false,
    });
    expect(parseEnv({ DATABASE_URL: 'postgres://db/m' }).backups.enabled).toBe(false);
    const on = parseEnv({
      DATABASE_URL: 'postgres://db/m',
      MADOGUCHI_BACKUP: 'on',
      MADOGUCHI_BACKUP_DIR: '/mnt/backups',
      MADOGUCHI_BACKUP_RETENTION_DAYS: '45',
      MADOGUCHI_BACKUP_TIME: '23:30',
      MADOGUCHI_BACKUP_ENCRYPT: 'true',
    }).backups;
    expect(on).toEqual({
      enabled: true,
      dir: '/mnt/backups',
      retentionDays: 45,
      time: { hour: 23, minute: 30 },
      encrypt: true,
    });
  });

  it('refuse a wrong value by name', () => {
    expect(() => parseEnv({ MADOGUCHI_BACKUP_TIME: '3:00' })).toThrow(/MADOGUCHI_BACKUP_TIME/);
    expect(() => parseEnv({ MADOGUCHI_BACKUP_RETENTION_DAYS: '0' })).toThrow(
      /MADOGUCHI_BACKUP_RETENTION_DAYS/,
    );
  });

  it('turn the Tokyo time into a UTC cron', () => {
    expect(dailyCronUtc({ hour: 3, minute: 0 })).toBe('0 18 * * *');
    expect(dailyCronUtc({ hour: 9, minute: 15 })).toBe('15 0 * * *');
    expect(dailyCronUtc({ hour: 23, minute: 30 })).toBe('30 14 * * *');
  });
});
