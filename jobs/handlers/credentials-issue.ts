import type { Db } from '../../db/connection.ts';
import type { Env } from '../../app/env.server.ts';
import { credentialIssueQueue } from '../../app/credentials/credentials.queues.ts';
import { issuerKeys } from '../../app/credentials/issuer-keys.server.ts';
import { runIssuance } from '../../app/credentials/issuance.service.server.ts';
import { handleQueue } from '../queue.ts';

/**
 * Signs the mdocs of credential requests (decision 0059). runIssuance locks the request and
 * skips one that is no longer pending, so a retry or a second worker never issues twice.
 */
export const credentialIssueHandler = ({ db, env }: { db: Db; env: Env }) =>
  handleQueue(credentialIssueQueue, async (jobs, log) => {
    const keys = await issuerKeys(env);
    for (const job of jobs) {
      const outcome = await runIssuance(
        { db, keys, maxValidityDays: env.MADOGUCHI_MDOC_MAX_DAYS, publicOrigin: env.publicOrigin },
        job.data,
      );
      log.info({ requestId: job.data.requestId, outcome }, 'credential request worked');
    }
  });
