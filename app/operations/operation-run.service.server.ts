import type { Db } from '../../db/connection.ts';
import type { Logger } from '../platform/logger.server.ts';
import type { OperationKind, OperationOutcome } from './operation-run.ts';
import { findLatestOperationRun, insertOperationRun } from './operation-run.repository.server.ts';

/**
 * Runs one operations job and records how it ended, failures included, in the database (not
 * beside the backups: a full backup disk must still be told). A failure is logged at error
 * level and thrown again, so pg-boss retries it and, in the end, dead-letters it.
 */
export async function recordOperationRun<T>(
  db: Db,
  log: Logger,
  kind: OperationKind,
  work: () => Promise<{ value: T; backupId: string | null; detail: string }>,
): Promise<T> {
  const startedAt = new Date();
  try {
    const { value, backupId, detail } = await work();
    await insertOperationRun(db, {
      kind,
      startedAt,
      finishedAt: new Date(),
      ok: true,
      backupId,
      detail,
    });
    return value;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    log.error({ err: error, operation: kind }, `${kind} failed`);
    await insertOperationRun(db, {
      kind,
      startedAt,
      finishedAt: new Date(),
      ok: false,
      backupId: null,
      detail,
    }).catch((e: unknown) =>
      log.error({ err: e, operation: kind }, 'could not record the failure'),
    );
    throw error;
  }
}

/** The newest backup run and how it ended (null before the first): for the ops page and /metrics. */
export const lastBackupOutcome = (db: Db): Promise<OperationOutcome | null> =>
  findLatestOperationRun(db, 'backup');

/** The newest weekly restore check and how it ended (null before the first). */
export const lastVerifyOutcome = (db: Db): Promise<OperationOutcome | null> =>
  findLatestOperationRun(db, 'verify-backup');
