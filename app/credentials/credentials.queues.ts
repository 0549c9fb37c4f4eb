import { z } from 'zod';
import { defineQueue } from '../../jobs/enqueue.ts';

/**
 * One job per credential request, sent in the request's transaction (decision 0059). The
 * handler re-reads the row under a lock and does nothing when it is no longer pending, so
 * retries and a second worker never issue twice.
 */
export const credentialIssueQueue = defineQueue({
  name: 'credentials.issue',
  payload: z.object({ residentId: z.uuid(), requestId: z.uuid() }),
  // notify: the request's commit wakes the workers at once (LISTEN/NOTIFY, jobs/boss.ts) instead
  // of their next poll — the poll was most of a request's wait (decision 0060 addendum).
  options: { retryLimit: 3, retryDelay: 2, retryBackoff: true, expireInSeconds: 60, notify: true },
  // A batch is one transaction (runIssuances): 32 requests share a commit (decision 0060).
  batchSize: 32,
  localConcurrency: 2,
  pollingIntervalSeconds: 0.5,
});

/**
 * The push that tells the resident's apps their credentials were revoked (decision 0062
 * addendum), sent in the revocation's transaction: one job per revocation, so one push per
 * app registration.
 */
export const credentialRevokedPushQueue = defineQueue({
  name: 'credentials.revoked-push',
  payload: z.object({
    residentId: z.uuid(),
    noticeId: z.uuid(),
    credentialIds: z.array(z.uuid()).min(1),
    reissueAvailable: z.boolean(),
  }),
  options: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 600 },
  batchSize: 1,
  localConcurrency: 1,
});
