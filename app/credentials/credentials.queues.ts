import { z } from 'zod';
import { defineQueue } from '../../jobs/enqueue.ts';

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
