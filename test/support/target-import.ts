import { afterAll, beforeAll } from 'vitest';
import type { PgBoss } from 'pg-boss';
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
