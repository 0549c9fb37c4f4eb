import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import { operationsReportQueue } from '../../app/operations/report.queues.ts';
import { runOperationsReports } from '../../app/operations/operations-report.service.server.ts';
import { handleQueue } from '../queue.ts';

/**
 * Yesterday's operations report, and on Mondays last week's summary, mailed to the operators
 * (issue 14).
 */
export const operationsReportHandler = (deps: { db: Db; boss: PgBoss; publicOrigin: string }) =>
  handleQueue(operationsReportQueue, async (_jobs, log) => {
    const { made, mailed } = await runOperationsReports(deps.db, deps);
    for (const report of made)
      log.info(
        { kind: report.kind, from: report.periodStart, requests: report.figures.requests.total },
        'operations report stored',
      );
    if (mailed > 0) log.info({ mails: mailed }, 'weekly operations summary queued');
  });
