import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '../../app/env.server.ts';
import { createLogger } from '../../app/platform/logger.server.ts';
import type { Secrets } from '../../app/platform/secrets.server.ts';
import type { Db, Sql } from '../../db/connection.ts';
import { backupDailyQueue } from '../../app/operations/backup.queues.ts';
import { backupDailyHandler } from './backup.ts';

const unused = {} as Sql;
const noSecrets = {} as Secrets;
const noDb = {} as Db;
const silent = createLogger('silent');

describe('the daily backup job', () => {
  it('runs on the Tokyo time as a UTC timetable, and not at all when backups are off', () => {
    const on = parseEnv({ MADOGUCHI_BACKUP_TIME: '02:30' }).backups;
    const handler = backupDailyHandler({ sql: unused, settings: on, secrets: noSecrets, db: noDb });
    expect(handler.queue).toBe(backupDailyQueue);
    expect(handler.schedule).toBe('30 17 * * *');
    const off = parseEnv({ MADOGUCHI_BACKUP: 'off' }).backups;
    expect(
      backupDailyHandler({ sql: unused, settings: off, secrets: noSecrets, db: noDb }).schedule,
    ).toBe(undefined);
  });

  it('does nothing when backups are off or a backup was just taken (a retry or a double run)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-backup-job-'));
    const settings = parseEnv({ MADOGUCHI_DATA_DIR: dataDir }).backups;
    const id = 'just-taken';
    mkdirSync(join(settings.dir, 'base', id), { recursive: true });
    writeFileSync(
      join(settings.dir, 'base', id, 'manifest.json'),
      JSON.stringify({ id, finishedAt: new Date().toISOString(), files: [], contents: [] }),
    );
    // The database handle is never touched: either would throw on first use.
    await backupDailyHandler({ sql: unused, settings, secrets: noSecrets, db: noDb }).handle(
      [],
      silent,
    );
    await backupDailyHandler({
      sql: unused,
      settings: { ...settings, enabled: false },
      secrets: noSecrets,
      db: noDb,
    }).handle([], silent);
  });
});
