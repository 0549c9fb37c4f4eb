import type { Db } from '../../db/connection.ts';
import { credentialRevokedPushQueue } from '../../app/credentials/credentials.queues.ts';
import { pushCredentialRevoked } from '../../app/credentials/revoked-push.server.ts';
import type { PushRuntime } from '../../app/push/runtime.server.ts';
import { handleQueue } from '../queue.ts';

/**
 * Tells the resident's apps their credentials were revoked (decision 0062 addendum). A push a
 * provider refused for good is counted and logged, not retried: the notice stays in the inbox.
 */
export const credentialRevokedPushHandler = ({ db, push }: { db: Db; push: PushRuntime }) =>
  handleQueue(credentialRevokedPushQueue, async (jobs, log) => {
    for (const job of jobs) {
      const result = await pushCredentialRevoked({ db, push }, job.data);
      log.info({ residentId: job.data.residentId, ...result }, 'credential revocation pushed');
    }
  });
