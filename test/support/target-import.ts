import { afterAll, beforeAll } from 'vitest';
import type { PgBoss } from 'pg-boss';
import type { Connection, Db } from '../../db/connection.ts';
import type { AuditActor } from '../../app/audit/audit.ts';
import { uploadTargetImport } from '../../app/targets/target-import.service.server.ts';
import { stageUploadedImport } from '../../app/targets/target-import-staging.service.server.ts';
import type { useTestDatabase } from '../database.ts';
import { startBoss } from '../../jobs/boss.ts';
import { createQueues } from '../../jobs/worker.ts';
import { queues } from '../../jobs/queues.ts';
import { createLogger } from '../../app/platform/logger.server.ts';
import { encodeCp932 } from '../../app/csv/csv-stream.server.ts';
import { staffWithSession } from './routes.ts';

/** The CS terminal's header line, in the order it exports. */
const TARGET_HEADER = '申請書ID,製造管理番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所';

/** A list as the CS terminal writes it: CP932, CRLF, the header first. */
export function targetListCp932(lines: string[]): Uint8Array {
  const encoded = encodeCp932([TARGET_HEADER, ...lines].join('\r\n') + '\r\n');
  if (!encoded.ok) throw new Error('not CP932');
  return encoded.bytes;
}

/**
 * What the import tests share: a started pg-boss without workers (tests run the job's work
 * themselves, or start a worker) and a clerk holding targets:import.
 */
export function useImportSetup(database: ReturnType<typeof useTestDatabase>) {
  const setup = {} as {
    boss: PgBoss;
    clerk: { actorType: 'staff'; actorId: string; onBehalfOfResidentId: null; ip: string };
  };
  beforeAll(async () => {
    setup.boss = await startBoss(database.connection.sql, createLogger('silent'), {
      supervise: false,
    });
    await createQueues(setup.boss, queues);
    const staff = await staffWithSession(database.connection.db, ['targets:import']);
    setup.clerk = {
      actorType: 'staff',
      actorId: staff.accountId,
      onBehalfOfResidentId: null,
      ip: '192.0.2.10',
    };
  });
  afterAll(async () => {
    await setup.boss.stop({ graceful: false });
  });
  return setup;
}

/**
 * A list uploaded as a clerk uploads it and staged as the job stages it, for tests that need a
 * staged import: here when no worker runs, or by the app's own worker when one does (then
 * this waits for it). Refusals come back as the upload answers them.
 */
export async function stageTargetFile(
  connection: Pick<Connection, 'db' | 'sql'>,
  actor: AuditActor & { actorId: string },
  input: { municipalityCode: string; fileName: string; bytes: Uint8Array },
) {
  const { db } = connection;
  const boss = await startBoss(connection.sql, createLogger('silent'), { supervise: false });
  let uploaded;
  try {
    await createQueues(boss, queues);
    uploaded = await uploadTargetImport(db, boss, actor, input);
  } finally {
    await boss.stop({ graceful: false });
  }
  if (uploaded.outcome !== 'queued') return uploaded;
  const key = { municipalityCode: input.municipalityCode, importId: uploaded.importId };
  const staged = await stageUploadedImport(db, key);
  if (staged.outcome === 'failed') throw new Error(`test import failed: ${staged.failure}`);
  for (let waited = 0; waited < 30_000; waited += 100) {
    const row = await db
      .selectFrom('targetImport')
      .select(['state', 'failure'])
      .where('municipalityCode', '=', key.municipalityCode)
      .where('id', '=', key.importId)
      .executeTakeFirstOrThrow();
    if (row.state === 'staged') return { outcome: 'staged' as const, importId: key.importId };
    if (row.state !== 'staging') throw new Error(`test import ${row.state}: ${row.failure}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('test import not staged within 30 s');
}

/** Every import job's id: a refused upload must not add one. */
export function importIds(db: Db) {
  return db.selectFrom('targetImport').select('id').orderBy('id').execute();
}
