import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '../db/connection.ts';
import { backupDailyQueue } from '../app/operations/backup.queues.ts';
import { lastBackupOutcome } from '../app/operations/operation-run.service.server.ts';
import { ready, timed, until } from './support/app-process.ts';
import { useFaultRig } from './support/fault-rig.ts';

/**
 * Issue 14, "Surviving faults": the backup disk is full (decision 0064). Without root or a
 * small file system, the app process gets a file-size limit (`ulimit -f`, 128 KB): every
 * write past it fails with EFBIG, as on a full disk a write fails with ENOSPC. PostgreSQL runs
 * outside that limit (this test's cluster, archiving on), so only the backup's writes fail.
 */
const rig = useFaultRig();

describe('the backup disk is full', () => {
  it('the backup fails loudly and is recorded as failed; the app keeps serving', async () => {
    const cluster = await rig.cluster('disk-full', [
      'archive_mode=on',
      'archive_command=/bin/true',
    ]);
    const backups = join(rig.folder('disk-full-backups'), 'backups');
    const app = await rig.app(
      {
        DATABASE_URL: cluster.url,
        MADOGUCHI_BACKUP: 'on',
        MADOGUCHI_BACKUP_DIR: backups,
      },
      { fileSizeBlocks: 256 },
    );
    await ready(app);

    const boss = await rig.boss(rig.client(cluster.url));
    await boss.send(backupDailyQueue.name, {});
    const reader = connect(cluster.url, { max: 1 });
    await until(
      async () => (await lastBackupOutcome(reader.db)) !== null,
      60_000,
      'the backup run',
    );

    const outcome = await lastBackupOutcome(reader.db);
    await reader.close();
    expect(outcome).toMatchObject({ ok: false, backupId: null });
    expect(outcome!.detail).toMatch(/EFBIG|file too large/i);
    expect(app.output()).toMatch(/"msg":"backup failed"/);
    // Nothing half-written is left to be mistaken for a backup.
    const base = join(backups, 'base');
    expect(existsSync(base) ? readdirSync(base) : []).toEqual([]);

    expect((await timed(`${app.origin}/healthz`)).response.status).toBe(200);
    expect((await timed(`${app.origin}/readyz`)).response.status).toBe(200);
    expect((await timed(`${app.origin}/ja/`)).response.status).toBe(200);
    expect(app.child.exitCode).toBeNull();
  }, 120_000);
});
