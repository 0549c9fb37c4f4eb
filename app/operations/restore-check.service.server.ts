import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { connect } from '../../db/connection.ts';
import { startEmbeddedPostgres } from '../../db/embedded.ts';
import { loadSecrets } from '../platform/secrets.server.ts';
import { verifyAuditChain } from '../audit/audit.service.server.ts';
import type { BackupSettings } from './backup-settings.ts';
import { writeVerification, type BackupVerification } from './backup.service.server.ts';
import { freePort, restoreBackup } from './restore.service.server.ts';

export type RestoreCheck = { backupId: string; verification: BackupVerification };

/**
 * The weekly proof that the newest backup restores (decision 0064): restored with the archived
 * WAL into a temporary folder exactly as `npm run db:restore -- --latest` would, started on a
 * free port as a throw-away server, read (rows, the audit chain up to its head), stopped and
 * removed. The outcome is written beside the backup (verification.json, which
 * `npm run db:backups` shows) and returned.
 */
export async function checkNewestBackupRestores(options: {
  settings: BackupSettings;
  key: Buffer | undefined;
  /** The installation's secrets.json (the restored cluster's password is in it). */
  secretsFile: string;
  now?: () => Date;
}): Promise<RestoreCheck> {
  const now = options.now ?? (() => new Date());
  const parent = mkdtempSync(join(tmpdir(), 'madoguchi-verify-'));
  chmodSync(parent, 0o755); // the server runs as the postgres user when we are root
  const into = join(parent, 'data');
  try {
    const restored = await restoreBackup({
      settings: options.settings,
      key: options.key,
      target: { latest: true },
      into,
      secretsFile: options.secretsFile,
    });
    const verification = await readRestored(into, now).catch(
      (error: unknown): BackupVerification => ({
        at: now().toISOString(),
        ok: false,
        restored: true,
        detail: `restored, but the check failed: ${error instanceof Error ? error.message : String(error)}`,
      }),
    );
    writeVerification(options.settings, restored.backup, verification);
    return { backupId: restored.backup.id, verification };
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

async function readRestored(dataDir: string, now: () => Date): Promise<BackupVerification> {
  const server = await startEmbeddedPostgres({
    dir: join(dataDir, 'postgres'),
    port: await freePort(),
    password: loadSecrets(dataDir).embeddedPostgresPassword,
    database: 'madoguchi',
    fast: true,
  });
  try {
    const { db, close } = connect(server.url, { max: 1, applicationName: 'madoguchi-verify' });
    try {
      const counted = await sql<{ residents: string }>`
        select count(*) as residents from resident`.execute(db);
      const { residents } = counted.rows[0]!;
      const chain = await verifyAuditChain(db);
      return {
        at: now().toISOString(),
        ok: chain.ok,
        restored: true,
        detail: chain.ok
          ? `restored and started: ${residents} residents, audit chain intact (${chain.checked} rows)`
          : `restored, but the audit chain is broken: ${chain.detail}`,
      };
    } finally {
      await close();
    }
  } finally {
    await server.stop();
  }
}
