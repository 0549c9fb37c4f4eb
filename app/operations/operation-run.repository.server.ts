import type { Db } from '../../db/connection.ts';
import type { OperationKind, OperationOutcome } from './operation-run.ts';

export async function insertOperationRun(
  db: Db,
  run: { kind: OperationKind } & OperationOutcome,
): Promise<void> {
  await db
    .insertInto('operationRun')
    .values({ ...run, detail: run.detail.slice(0, 4000) })
    .execute();
}

/** The newest run of a kind (operation_run_latest_idx: one index probe). */
export async function findLatestOperationRun(
  db: Db,
  kind: OperationKind,
): Promise<OperationOutcome | null> {
  const row = await db
    .selectFrom('operationRun')
    .select(['startedAt', 'finishedAt', 'ok', 'backupId', 'detail'])
    .where('kind', '=', kind)
    .orderBy('finishedAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}
