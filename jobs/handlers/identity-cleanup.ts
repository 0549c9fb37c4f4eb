import type { Db } from '../../db/connection.ts';
import { identityCleanupQueue } from '../../app/identity/identity.queues.ts';
import { handleQueue } from '../queue.ts';

/** Sessions stay listed as "recent sign-ins" and as staff access records for over a year. */
const SESSION_KEEP_DAYS = 400;

/**
 * Hourly housekeeping: used or expired WebAuthn challenges, throttle windows long past, and
 * sessions that ended more than SESSION_KEEP_DAYS ago. Idempotent: a retry deletes nothing twice.
 */
export const identityCleanupHandler = ({ db }: { db: Db }) =>
  handleQueue(identityCleanupQueue, async (_jobs, log) => {
    const now = Date.now();
    const challenges = await db
      .deleteFrom('webauthnChallenge')
      .where('expiresAt', '<', new Date(now - 3600_000))
      .executeTakeFirst();
    const throttles = await db
      .deleteFrom('throttle')
      .where('windowStartedAt', '<', new Date(now - 86_400_000))
      .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', new Date(now))]))
      .executeTakeFirst();
    const sessions = await db
      .deleteFrom('session')
      .where('absoluteExpiresAt', '<', new Date(now - SESSION_KEEP_DAYS * 86_400_000))
      .executeTakeFirst();
    log.info(
      {
        challenges: Number(challenges.numDeletedRows),
        throttles: Number(throttles.numDeletedRows),
        sessions: Number(sessions.numDeletedRows),
      },
      'identity cleanup',
    );
  });
