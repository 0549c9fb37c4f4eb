import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../env.server.ts';
import { backupStatus } from './operations.service.server.ts';

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-backup-status-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const settings = parseEnv({ MADOGUCHI_DATA_DIR: dir }).backups;
const run = (ok: boolean, at: string, detail: string) => ({
  startedAt: new Date(at),
  finishedAt: new Date(at),
  ok,
  backupId: null,
  detail,
});

describe('backup status with the recorded runs', () => {
  it('nothing yet: no result, no failure', () => {
    const status = backupStatus(settings);
    expect(status).toMatchObject({ lastResult: null, lastFailure: null, lastVerification: null });
  });

  it('a run that failed before it left a backup (a full disk) is the last result', () => {
    const status = backupStatus(settings, new Date(), {
      backup: run(false, '2026-12-03T18:00:00Z', 'write EFBIG: file too large'),
      verify: null,
    });
    expect(status.lastResult).toBe(false);
    expect(status.lastFailure).toEqual({
      at: '2026-12-03T18:00:00.000Z',
      detail: 'write EFBIG: file too large',
    });
  });

  it('a successful run says nothing the manifests do not; the weekly check is the last verification', () => {
    const status = backupStatus(settings, new Date(), {
      backup: run(true, '2026-12-03T18:00:00Z', 'taken'),
      verify: run(false, '2026-12-06T18:30:00Z', 'restore failed: checksum mismatch'),
    });
    expect(status.lastResult).toBeNull();
    expect(status.lastFailure).toBeNull();
    expect(status.lastVerification).toEqual({
      at: '2026-12-06T18:30:00.000Z',
      ok: false,
      detail: 'restore failed: checksum mismatch',
    });
  });
});
