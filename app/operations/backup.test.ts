import { afterAll, describe, expect, it } from 'vitest';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { parseEnv, type Env } from '../env.server.ts';
import { loadSecrets, type Secrets } from '../platform/secrets.server.ts';
import { openDatabase, type OpenedDatabase } from '../platform/database.server.ts';
import { createLogger } from '../platform/logger.server.ts';
import { recordAudit, sealAudit, verifyAuditChain } from '../audit/audit.service.server.ts';
import { freePort } from '../../bench/lib/app.ts';
import { runBackup, backupKey } from './backup-run.server.ts';
import {
  applyRetention,
  listBackups,
  verifyBackup,
  type BackupManifest,
} from './backup.service.server.ts';
import { restoreBackup } from './restore.service.server.ts';
import { archiveWal, restoreWal } from './wal-archive.server.ts';
import { walArchiveDir, baseBackupsDir } from './archiving.server.ts';
import { parseBackupSettings } from './backup-settings.ts';

/**
 * Backups end to end on real PostgreSQL processes (issue 14): a throw-away embedded cluster
 * with WAL archiving on, base backups taken while it runs, and restores into new folders,
 * each started and read like the app would.
 */
const folders: string[] = [];
const opened: OpenedDatabase[] = [];
const silent = createLogger('silent');

function folder(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `madoguchi-backup-${name}-`));
  chmodSync(dir, 0o755); // the embedded server runs as the postgres user
  folders.push(dir);
  return dir;
}

async function startCluster(dataDir: string, extra: Record<string, string> = {}) {
  const env = parseEnv({
    MADOGUCHI_DATA_DIR: dataDir,
    MADOGUCHI_PG_PORT: String(await freePort()),
    ...extra,
  });
  const secrets = loadSecrets(dataDir, env.MADOGUCHI_SECRET);
  const database = await openDatabase(env, secrets, { max: 3, embedded: 'start', migrate: true });
  opened.push(database);
  return { env, secrets, database, db: database.connection.db };
}

afterAll(async () => {
  for (const database of opened) await database.close().catch(() => {});
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

async function audited(db: OpenedDatabase['connection']['db'], marker: string) {
  await recordAudit(db, {
    actorType: 'system',
    action: 'backup.test',
    outcome: 'success',
    details: { marker },
  });
  await sealAudit(db);
}

async function markers(db: OpenedDatabase['connection']['db']): Promise<string[]> {
  const { rows } = await sql<{ marker: string }>`
    select details->>'marker' as marker from audit_log where action = 'backup.test' order by seq`.execute(
    db,
  );
  return rows.map((r) => r.marker);
}

/** Closes the current segment and waits until PostgreSQL's archive_command stored it. */
async function archiveNow(db: OpenedDatabase['connection']['db']) {
  const { rows } = await sql<{
    file: string;
  }>`select pg_walfile_name(pg_switch_wal()) as file`.execute(db);
  const file = rows[0]!.file;
  await expect
    .poll(
      async () => {
        const { rows: stat } = await sql<{ last: string | null }>`
          select last_archived_wal as last from pg_stat_archiver`.execute(db);
        return (stat[0]?.last ?? '') >= file;
      },
      { timeout: 20_000, interval: 100 },
    )
    .toBe(true);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a restored data folder as the app would (archiving off) and reads it. */
async function readRestored(dataDir: string) {
  const { db, database } = await startCluster(dataDir, { MADOGUCHI_BACKUP: 'off' });
  const found = await markers(db);
  const chain = await verifyAuditChain(db);
  await database.close();
  return { found, chain };
}

describe('point-in-time restore', { timeout: 90_000 }, () => {
  let source: Awaited<ReturnType<typeof startCluster>>;
  let between: Date;
  let manifest: BackupManifest;

  it('restores exactly what was committed up to a time between two writes', async () => {
    const dataDir = folder('pitr');
    source = await startCluster(dataDir);
    const { db, env, secrets } = source;
    await audited(db, 'before-backup');
    const run = await runBackup(source.database.connection.sql, env.backups, secrets, silent);
    manifest = run.manifest;
    expect(run.verification.ok).toBe(true);
    expect(readdirSync(join(baseBackupsDir(env.backups), manifest.id)).sort()).toEqual([
      'backup_label.zst',
      'base.tar.zst',
      'manifest.json',
      'verification.json',
    ]);
    expect(manifest.contents.some((c) => c.path === 'global/pg_control')).toBe(true);
    expect(manifest.contents.some((c) => c.path.startsWith('pg_wal/0'))).toBe(false);

    await audited(db, 'after-backup');
    await sleep(1100);
    between = new Date();
    await sleep(1100);
    await audited(db, 'too-late');
    await archiveNow(db);

    const into = join(folder('pitr-to'), 'data');
    const restored = await restoreBackup({
      settings: env.backups,
      key: undefined,
      target: { time: between },
      into,
      secretsFile: join(dataDir, 'secrets.json'),
    });
    expect(restored.backup.id).toBe(manifest.id);
    expect(restored.stoppedAt).toMatch(/recovery stopping before commit/);
    const { found, chain } = await readRestored(into);
    expect(found).toEqual(['before-backup', 'after-backup']);
    expect(chain).toMatchObject({ ok: true });
  });

  it('--latest restores everything committed and archived', async () => {
    const into = join(folder('pitr-latest'), 'data');
    await restoreBackup({
      settings: source.env.backups,
      key: undefined,
      target: { latest: true },
      into,
      secretsFile: join(source.env.MADOGUCHI_DATA_DIR, 'secrets.json'),
    });
    const { found, chain } = await readRestored(into);
    expect(found).toEqual(['before-backup', 'after-backup', 'too-late']);
    expect(chain).toMatchObject({ ok: true });
  });

  it('refuses a time outside the archive and a folder that is not new, leaving nothing behind', async () => {
    const common = {
      settings: source.env.backups,
      key: undefined,
      secretsFile: join(source.env.MADOGUCHI_DATA_DIR, 'secrets.json'),
    };
    await expect(
      restoreBackup({
        ...common,
        target: { time: new Date(Date.now() - 86_400_000) },
        into: folder('early'),
      }),
    ).rejects.toThrow(/no base backup finished before/);
    await expect(
      restoreBackup({ ...common, target: { latest: true }, into: source.env.MADOGUCHI_DATA_DIR }),
    ).rejects.toThrow(/not empty/);
    const later = join(folder('later'), 'data');
    await expect(
      restoreBackup({ ...common, target: { time: new Date(Date.now() + 3600_000) }, into: later }),
    ).rejects.toThrow(/archive ends before the time asked for: its last transaction was at 20/);
    expect(existsSync(later)).toBe(false);
  });

  it('catches a corrupted backup file with the manifest before restoring anything', async () => {
    const settings = source.env.backups;
    const archive = join(baseBackupsDir(settings), manifest.id, 'base.tar.zst');
    const bytes = readFileSync(archive);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(archive, bytes);
    const into = join(folder('corrupt'), 'data');
    await expect(
      restoreBackup({
        settings,
        key: undefined,
        target: { latest: true },
        into,
        secretsFile: join(source.env.MADOGUCHI_DATA_DIR, 'secrets.json'),
      }),
    ).rejects.toThrow(/base\.tar\.zst does not match its manifest/);
    expect(existsSync(into)).toBe(false);
    const verification = await verifyBackup(settings, manifest, undefined);
    expect(verification).toMatchObject({ ok: false });
    expect(listBackups(settings).at(-1)?.verification?.ok).toBe(false);
  });

  it('never overwrites an archived WAL file with different content', async () => {
    const wal = walArchiveDir(source.env.backups);
    const name = readdirSync(wal)
      .find((f) => /^[0-9A-F]{24}\.zst$/.test(f))!
      .slice(0, 24);
    const restoredCopy = join(folder('wal'), name);
    expect(await restoreWal(wal, name, restoredCopy, undefined)).toBe(true);
    expect(await archiveWal(restoredCopy, wal, name, undefined)).toBe('already archived');
    const altered = readFileSync(restoredCopy);
    altered[100]! ^= 1;
    writeFileSync(restoredCopy, altered);
    await expect(archiveWal(restoredCopy, wal, name, undefined)).rejects.toThrow(
      /different content/,
    );
    expect(await restoreWal(wal, 'FFFFFFFF0000000000000001', restoredCopy, undefined)).toBe(false);
  });
});

describe('encrypted backups', { timeout: 90_000 }, () => {
  it('restore with the installation key; another key fails clearly', async () => {
    const dataDir = folder('enc');
    const { db, env, secrets, database } = await startCluster(dataDir, {
      MADOGUCHI_BACKUP_ENCRYPT: 'true',
    });
    await audited(db, 'secret-1');
    const run = await runBackup(database.connection.sql, env.backups, secrets, silent);
    expect(run.manifest).toMatchObject({ encrypted: true });
    expect(run.manifest.files.map((f) => f.name).sort()).toEqual([
      'backup_label.zst.enc',
      'base.tar.zst.enc',
    ]);
    await audited(db, 'secret-2');
    await archiveNow(db);
    const wal = walArchiveDir(env.backups);
    const segments = readdirSync(wal).filter((f) => /^[0-9A-F]{24}\.zst\.enc$/.test(f));
    expect(segments.length).toBeGreaterThan(0);
    expect(readdirSync(wal).filter((f) => /^[0-9A-F]{24}\.zst$/.test(f))).toEqual([]);

    const into = join(folder('enc-to'), 'data');
    await restoreBackup({
      settings: env.backups,
      key: backupKey(env.backups, secrets),
      target: { latest: true },
      into,
      secretsFile: join(dataDir, 'secrets.json'),
    });
    const { found } = await readRestored(into);
    expect(found).toEqual(['secret-1', 'secret-2']);

    const other: Secrets = loadSecrets(folder('other'), 'another installation secret, 32+ chars');
    await expect(
      restoreBackup({
        settings: env.backups,
        key: backupKey(env.backups, other),
        target: { latest: true },
        into: join(folder('enc-wrong'), 'data'),
        secretsFile: join(dataDir, 'secrets.json'),
      }),
    ).rejects.toThrow(/encrypted with another key/);
    await expect(
      restoreWal(
        wal,
        segments[0]!.slice(0, 24),
        join(folder('enc-wal'), 'x'),
        backupKey(env.backups, other),
      ),
    ).rejects.toThrow(/does not open with this key/);
    await expect(
      restoreBackup({
        settings: env.backups,
        key: undefined,
        target: { latest: true },
        into: join(folder('enc-none'), 'data'),
        secretsFile: join(dataDir, 'secrets.json'),
      }),
    ).rejects.toThrow(/is encrypted: set MADOGUCHI_BACKUP_ENCRYPT=true/);
  });
});

describe('retention', () => {
  const day = 86_400_000;
  const now = new Date('2026-12-31T00:00:00Z');

  function fakeBackup(env: Env, finishedDaysAgo: number, startWalFile: string) {
    const finishedAt = new Date(now.getTime() - finishedDaysAgo * day).toISOString();
    const id = finishedAt.replace(/[-:.]/g, '');
    const dir = join(baseBackupsDir(env.backups), id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ id, finishedAt, startWalFile, files: [], contents: [] }),
    );
    return id;
  }

  it('removes only the backups and WAL no longer needed to restore any time in the window', () => {
    const dataDir = folder('retention');
    const env = {
      ...parseEnv({ MADOGUCHI_DATA_DIR: dataDir }),
      backups: parseBackupSettings({ MADOGUCHI_BACKUP_RETENTION_DAYS: '30' }, dataDir, true),
    };
    const gone1 = fakeBackup(env, 40, '000000010000000000000010');
    const gone2 = fakeBackup(env, 35, '000000010000000000000020');
    const anchor = fakeBackup(env, 31, '000000010000000000000030');
    const recent = fakeBackup(env, 2, '000000020000000000000090');
    const wal = walArchiveDir(env.backups);
    mkdirSync(wal, { recursive: true });
    const walFiles = [
      '000000010000000000000011.zst',
      '00000001000000000000002F.zst.enc',
      '000000010000000000000025.00000028.backup.zst',
      '000000010000000000000030.zst',
      '000000010000000000000031.zst',
      '000000020000000000000090.zst',
      '00000002.history.zst',
    ];
    for (const f of walFiles) writeFileSync(join(wal, f), 'x');
    const unfinished = join(baseBackupsDir(env.backups), 'unfinished');
    mkdirSync(unfinished);
    utimesSync(unfinished, now, now);
    const abandoned = join(baseBackupsDir(env.backups), 'abandoned');
    mkdirSync(abandoned);
    utimesSync(abandoned, new Date(now.getTime() - 2 * day), new Date(now.getTime() - 2 * day));

    const result = applyRetention(env.backups, now);
    expect(result.removedBackups.sort()).toEqual([gone1, gone2].sort());
    expect(listBackups(env.backups).map((b) => b.manifest.id)).toEqual([anchor, recent]);
    expect(readdirSync(wal).sort()).toEqual(
      [
        '000000010000000000000030.zst',
        '000000010000000000000031.zst',
        '000000020000000000000090.zst',
        '00000002.history.zst',
      ].sort(),
    );
    expect(result.removedWalFiles).toBe(3);
    // A folder without a manifest may be a backup being taken right now: kept for a day.
    expect(existsSync(unfinished)).toBe(true);
    expect(existsSync(abandoned)).toBe(false);
    expect(applyRetention(env.backups, now)).toMatchObject({
      removedBackups: [],
      removedWalFiles: 0,
      kept: 2,
    });
  });
});

describe('without WAL archiving', { timeout: 60_000 }, () => {
  it('a base backup fails loudly instead of making one that cannot be restored', async () => {
    const { env, secrets, database } = await startCluster(folder('off'), {
      MADOGUCHI_BACKUP: 'off',
    });
    await expect(
      runBackup(database.connection.sql, { ...env.backups, enabled: true }, secrets, silent),
    ).rejects.toThrow(/WAL archiving is off/);
    expect(listBackups(env.backups)).toEqual([]);
  });
});

describe('a base backup under writes', { timeout: 90_000 }, () => {
  it('restores every row committed, those written while the files were copied among them', async () => {
    const dataDir = folder('busy');
    const { db, env, secrets, database } = await startCluster(dataDir);
    await sql`create table backup_probe (n int primary key, pad text)`.execute(db);
    let n = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const batch = Array.from({ length: 50 }, () => ++n);
        await sql`insert into backup_probe select x, repeat('x', 500) from unnest(${batch}::int[]) x`.execute(
          db,
        );
        if (n % 1000 === 0) await sql`delete from backup_probe where n % 3 = 0`.execute(db);
      }
    })();
    const run = await runBackup(database.connection.sql, env.backups, secrets, silent);
    writing = false;
    await writer;
    expect(run.verification.ok).toBe(true);
    expect(n).toBeGreaterThan(500); // the copy really ran beside the writes
    const { rows } = await sql<{ count: string; max: number }>`
      select count(*)::text as count, max(n) as max from backup_probe`.execute(db);
    // The last batch's own delete takes its last row when that number is a multiple of 3000.
    expect(rows[0]!.max).toBe(n % 3000 === 0 ? n - 1 : n);
    await archiveNow(db);

    const into = join(folder('busy-to'), 'data');
    await restoreBackup({
      settings: env.backups,
      key: undefined,
      target: { latest: true },
      into,
      secretsFile: join(dataDir, 'secrets.json'),
    });
    const restored = await startCluster(into, { MADOGUCHI_BACKUP: 'off' });
    const { rows: after } = await sql<{ count: string; max: number }>`
      select count(*)::text as count, max(n) as max from backup_probe`.execute(restored.db);
    expect(after[0]).toEqual(rows[0]);
  });
});
