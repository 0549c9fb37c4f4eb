import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import { bookingRemindersQueue } from '../../app/reservations/reservations.queues.ts';
import { queueDueReminders } from '../../app/reservations/booking-reminders.service.server.ts';
import { handleQueue } from '../queue.ts';

/** Queues tomorrow's reminders (the outbox sends them). Logs counts only. */
export const bookingRemindersHandler = (deps: { db: Db; boss: PgBoss; publicOrigin: string }) =>
  handleQueue(bookingRemindersQueue, async (_jobs, log) => {
    const looked = await queueDueReminders(deps.db, deps);
    if (looked > 0) log.info({ bookings: looked }, 'booking reminders queued');
  });
