/**
 * The issuance worker (decision 0060, addendum "the request row is its own queue"): works the
 * pending credential request rows, woken by the NOTIFY of each request's commit (LISTEN on the
 * postgres.js connection the pool already shares for listening) and, as the safety net for a
 * notification missed while the connection was down or sent before this worker listened,
 * by a poll every few seconds. Each turn claims a batch (issuePending); a turn that found a
 * full batch, or was woken again meanwhile, goes on at once. The poll also buries requests
 * whose worker died during their last attempt.
 */
import type { Db, Sql } from '../../db/connection.ts';
import type { Env } from '../env.server.ts';
import type { Logger } from '../platform/logger.server.ts';
import { ISSUE_CHANNEL, ISSUE_QUEUE, buryExpired } from './issuance-queue.repository.server.ts';
import { issuePending, issuePolicy, type IssuePolicy } from './issuance-batch.server.ts';
import { issuerKeys } from './issuer-keys.server.ts';

export type IssuanceWorker = { stop(): Promise<void> };

/** How long after a notification the worker looks once more (see `notified`). */
const LATE_LOOK_MS = 50;

export async function startIssuanceWorker(deps: {
  db: Db;
  sql: Sql;
  env: Env;
  log: Logger;
  policy?: IssuePolicy;
  /** The safety net's interval; also how soon a retry after its backoff is picked up. */
  pollMs?: number;
  /** Turns at once: one signs while the other waits for PostgreSQL (was localConcurrency). */
  concurrency?: number;
  /** Tests leave LISTEN out to show the poll alone issues every request. */
  listen?: boolean;
}): Promise<IssuanceWorker> {
  const { db, env, policy = issuePolicy, concurrency = 2 } = deps;
  const log = deps.log.child({ queue: ISSUE_QUEUE });
  let active = 0;
  let wanted = false;
  let stopped = false;
  const idle: (() => void)[] = [];

  const turns = async () => {
    active++;
    try {
      while (!stopped) {
        wanted = false;
        const keys = await issuerKeys(env);
        const { claimed, finished } = await issuePending(
          {
            db,
            keys,
            maxValidityDays: env.MADOGUCHI_MDOC_MAX_DAYS,
            publicOrigin: env.publicOrigin,
          },
          policy,
        );
        if (claimed > 0) log.debug({ claimed, finished }, 'credential requests worked');
        if (claimed < policy.batchSize && !wanted) break;
      }
    } catch (error) {
      // The batch's requests have their failed attempt recorded (or get it when their lease
      // ends); the next notification or poll goes on.
      log.error({ err: error }, 'credential issuance batch failed');
    } finally {
      active--;
      if (active === 0) for (const done of idle.splice(0)) done();
    }
  };
  const wake = () => {
    wanted = true;
    if (!stopped && active < concurrency) void turns();
  };
  // A notification can reach this process a moment before its transaction is visible to the
  // next snapshot (seen in the tests on PostgreSQL 18: the turn it started claimed nothing, the
  // row was there a millisecond later), so each is followed by one more look shortly after —
  // at most one pending — instead of leaving the request to the poll (and its waiting HTTP
  // request to the deferred answer).
  let lateLook: NodeJS.Timeout | null = null;
  const notified = () => {
    wake();
    lateLook ??= setTimeout(() => {
      lateLook = null;
      wake();
    }, LATE_LOOK_MS);
  };

  const subscription =
    deps.listen === false
      ? null
      : // onlisten runs on every (re)connect: whatever was sent while down is claimed then.
        await deps.sql.listen(ISSUE_CHANNEL, notified, wake);
  const poll = setInterval(() => {
    if (stopped) return;
    buryExpired(db, policy.maxAttempts)
      .then((dead) => {
        if (dead.length > 0) log.error({ requests: dead }, 'credential requests dead: worker lost');
      })
      .catch((error: unknown) => log.warn({ err: error }, 'credential requests not checked'));
    wake();
  }, deps.pollMs ?? 2000);
  poll.unref();
  wake();

  return {
    async stop() {
      stopped = true;
      clearInterval(poll);
      if (lateLook) clearTimeout(lateLook);
      await subscription?.unlisten().catch(() => {});
      if (active > 0) await new Promise<void>((done) => idle.push(done));
    },
  };
}
