import type { Db } from '../../db/connection.ts';
import { operationsReportQueue } from '../../app/operations/report.queues.ts';
import { makeDueReports } from '../../app/operations/operations-report.service.server.ts';
import { handleQueue } from '../queue.ts';

/** Yesterday's operations report, and on Mondays last week's summary (issue 14). */
export const operationsReportHandler = ({ db }: { db: Db }) =>
  handleQueue(operationsReportQueue, async (_jobs, log) => {
    const made = await makeDueReports(db);
    for (const report of made)
      log.info(
        { kind: report.kind, from: report.periodStart, requests: report.figures.requests.total },
        'operations report stored',
      );
  });
