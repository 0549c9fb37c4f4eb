import type { Db } from '../../db/connection.ts';
import { targetImportQueue } from '../../app/targets/targets.queues.ts';
import {
  markImportStopped,
  stageUploadedImport,
} from '../../app/targets/target-import-staging.service.server.ts';
import { handleDeadLetters, handleQueue } from '../queue.ts';

/**
 * Stages an uploaded card-pickup list (decision 0043). A failure is the import's state
 * ('failed', shown on its page), not a retry: the same bytes would fail the same way. Logs
 * name the import and counts only, never a line's contents.
 */
export const targetImportHandler = ({ db }: { db: Db }) =>
  handleQueue(targetImportQueue, async (jobs, log) => {
    for (const job of jobs) {
      const started = performance.now();
      const result = await stageUploadedImport(db, job.data);
      const ms = Math.round(performance.now() - started);
      if (result.outcome === 'failed') {
        const e = result.error as { code?: string; message?: string } | undefined;
        log.error(
          { importId: job.data.importId, failure: result.failure, code: e?.code, ms },
          `target import failed${e?.message ? `: ${e.message}` : ''}`,
        );
      } else log.info({ importId: job.data.importId, ...result, ms }, 'target import staged');
    }
  });

/**
 * An import whose job failed every attempt (decision 0043): the import is marked failed with
 * the reason its page says ("reading stopped"), so a clerk is never left watching "reading".
 */
export const targetImportDeadHandler = ({ db }: { db: Db }) =>
  handleDeadLetters(targetImportQueue, async (jobs, log) => {
    for (const job of jobs) {
      const marked = await markImportStopped(db, job.data);
      log.error({ importId: job.data.importId, marked }, 'target import job died on every attempt');
    }
  });
