import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import { bookingWaitlistQueue } from '../../app/reservations/reservations.queues.ts';
import { sweepWaitlist } from '../../app/reservations/waitlist.service.server.ts';
import { handleQueue } from '../queue.ts';

/** Expires the waitlist's offers and offers free places to the next in line. Logs counts only. */
export const bookingWaitlistHandler = (deps: { db: Db; boss: PgBoss; publicOrigin: string }) =>
  handleQueue(bookingWaitlistQueue, async (_jobs, log) => {
    const { expired, offered } = await sweepWaitlist(deps.db, deps);
    if (expired + offered > 0) log.info({ expired, offered }, 'waitlist swept');
  });
