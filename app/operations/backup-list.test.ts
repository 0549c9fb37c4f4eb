import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.server.ts';
import type { BackupManifest, BackupSummary } from './backup.service.server.ts';
import { describeBackups, formatAge } from './backup-list.ts';

const settings = parseEnv({ MADOGUCHI_DATA_DIR: '/srv/m' }).backups;
const now = new Date('2026-12-03T12:00:00Z');

describe('npm run db:backups', () => {
  it('shows each backup with its age, size and whether it was verified', () => {
    const backup = (id: string, finishedAt: string, ok: boolean | null): BackupSummary => ({
      manifest: { id, finishedAt, encrypted: ok === null } as BackupManifest,
      bytes: 12_345_678,
      verification:
        ok === null
          ? null
          : { at: finishedAt, ok, detail: ok ? '9 files match' : 'base.tar.zst does not match' },
    });
    const text = describeBackups(
      [
        backup('20261201T180000Z', '2026-12-01T18:00:05.000Z', true),
        backup('20261202T180000Z', '2026-12-02T18:00:05.000Z', false),
        backup('20261203T100000Z', '2026-12-03T10:00:05.000Z', null),
      ],
      { files: 3, bytes: 2_000_000, lastArchivedAt: new Date('2026-12-03T11:57:00Z') },
      settings,
      now,
    );
    expect(text).toContain('kept 30 days; daily at 03:00 Asia/Tokyo');
    expect(text).toContain('WAL archive: 3 files, 2.0 MB, last archived 3 min ago');
    expect(text).toMatch(/20261201T180000Z .* 41 h 59 min +12\.3 MB +yes/);
    expect(text).toMatch(/20261202T180000Z .* FAILED: base\.tar\.zst does not match/);
    expect(text).toMatch(/20261203T100000Z .* 1 h 59 min .* not verified, encrypted/);
  });

  it('says when there is nothing yet and when backups are off', () => {
    const off = { ...settings, enabled: false };
    const text = describeBackups([], { files: 0, bytes: 0, lastArchivedAt: null }, off, now);
    expect(text).toContain('backups are OFF');
    expect(text).toContain('WAL archive: empty');
    expect(text).toContain('no base backups yet: npm run db:backup');
    expect(formatAge(3 * 86_400_000 + 3_600_000)).toBe('3 d 1 h');
  });
});
