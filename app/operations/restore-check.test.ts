import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '../env.server.ts';
import { loadSecrets } from '../platform/secrets.server.ts';
import { openDatabase, type OpenedDatabase } from '../platform/database.server.ts';
import { createLogger } from '../platform/logger.server.ts';
import { recordAudit, sealAudit } from '../audit/audit.service.server.ts';
import { freePort } from './restore.service.server.ts';
import { listBackups, walArchiveSummary } from './backup.service.server.ts';
import { describeBackups } from './backup-list.ts';
import { baseBackupsDir } from './archiving.server.ts';
import { lastBackupOutcome, lastVerifyOutcome } from './operation-run.service.server.ts';
import { backupDailyHandler, verifyBackupHandler } from '../../jobs/handlers/backup.ts';

/**
 * The weekly restore check (issue 14, decision 0064) on real PostgreSQL processes: the app's
 * embedded cluster with archiving on, the daily backup job, then the weekly job restoring the
 * newest backup into a throw-away server and reading it.
 */
const silent = createLogger('silent');
let dataDir = '';
let database: OpenedDatabase | undefined;

afterAll(async () => {
  await database?.close().catch(() => {});
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('operations.verify-backup', { timeout: 120_000 }, () => {
  it('restores the newest backup, starts it, checks it, records "verified"; a damaged one fails', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-verify-job-'));
    chmodSync(dataDir, 0o755);
    const env = parseEnv({
      MADOGUCHI_DATA_DIR: dataDir,
      MADOGUCHI_PG_PORT: String(await freePort()),
      MADOGUCHI_BACKUP: 'on',
    });
    const secrets = loadSecrets(dataDir, env.MADOGUCHI_SECRET);
    database = await openDatabase(env, secrets, { max: 3, embedded: 'start', migrate: true });
    const { db, sql } = database.connection;
    await recordAudit(db, { actorType: 'system', action: 'verify.test', outcome: 'success' });
    await sealAudit(db);

    const deps = { sql, settings: env.backups, secrets, db };
    const secretsFile = join(dataDir, 'secrets.json');
    expect(verifyBackupHandler({ ...deps, secretsFile }).schedule).toBe('30 18 * * 6');
    await backupDailyHandler(deps).handle([], silent);
    expect(await lastBackupOutcome(db)).toMatchObject({ ok: true });

    await verifyBackupHandler({ ...deps, secretsFile }).handle([], silent);
    const verified = await lastVerifyOutcome(db);
    expect(verified).toMatchObject({
      ok: true,
      backupId: listBackups(env.backups)[0]!.manifest.id,
    });
    expect(verified!.detail).toMatch(/restored and started: \d+ residents, audit chain intact/);
    const [backup] = listBackups(env.backups);
    expect(backup!.verification).toMatchObject({ ok: true, restored: true });
    const listing = describeBackups(
      listBackups(env.backups),
      walArchiveSummary(env.backups),
      env.backups,
      new Date(),
    );
    expect(listing).toMatch(/yes, restored \(/);
    // The throw-away folder is gone.
    expect(
      readdirSync(tmpdir()).filter(
        (f) => f.startsWith('madoguchi-verify-') && !dataDir.endsWith(f),
      ),
    ).toEqual([]);

    // A damaged archive: the check fails, says why, and the failure is recorded.
    const dir = join(baseBackupsDir(env.backups), backup!.manifest.id);
    appendFileSync(join(dir, 'base.tar.zst'), Buffer.from('damage'));
    await expect(verifyBackupHandler({ ...deps, secretsFile }).handle([], silent)).rejects.toThrow(
      /does not match its manifest/,
    );
    expect(await lastVerifyOutcome(db)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/does not match its manifest/) as unknown,
    });
  });
});
