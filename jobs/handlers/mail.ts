import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import { mailSendQueue, mailSweepQueue } from '../../app/mail/mail.queues.ts';
import { deliverMail, sweepStrandedMail } from '../../app/mail/mail.service.server.ts';
import type { MailSender } from '../../app/mail/transport.server.ts';
import { handleQueue } from '../queue.ts';

/**
 * Delivers outbox rows (decision 0049). An attempt that failed, or a row another worker still
 * holds, throws: pg-boss retries the job with backoff. Logs name the message and its kind, never
 * its address or contents.
 */
export const mailSendHandler = ({ db, mail }: { db: Db; mail: MailSender }) =>
  handleQueue(mailSendQueue, async (jobs, log) => {
    for (const job of jobs) {
      const { mailId } = job.data;
      const result = await deliverMail(db, mail, mailId);
      switch (result.outcome) {
        case 'sent':
          log.info({ mailId }, 'mail sent');
          break;
        case 'held':
          log.info({ mailId }, 'mail kept in the local mailbox (no SMTP_URL)');
          break;
        case 'done':
          log.debug({ mailId, status: result.status }, 'mail already handled');
          break;
        case 'failed':
          log.error({ mailId, attempts: result.attempts, error: result.error }, 'mail failed');
          break;
        case 'busy':
          throw new Error(`mail ${mailId} is being sent by another worker`);
        case 'retry':
          throw new Error(`mail ${mailId} attempt ${result.attempts} failed: ${result.error}`);
      }
    }
  });

export const mailSweepHandler = ({ db, boss }: { db: Db; boss: PgBoss }) =>
  handleQueue(mailSweepQueue, async (_jobs, log) => {
    const requeued = await sweepStrandedMail(boss, db);
    if (requeued > 0) log.warn({ requeued }, 'stranded mail given new jobs');
  });
