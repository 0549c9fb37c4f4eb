import type { Db } from '../../db/connection.ts';
import type { Env } from '../../app/env.server.ts';
import { credentialIssueQueue } from '../../app/credentials/credentials.queues.ts';
import { issuerKeys } from '../../app/credentials/issuer-keys.server.ts';
import { runIssuances } from '../../app/credentials/issuance.service.server.ts';
import { handleQueue } from '../queue.ts';

/**
 * Signs the mdocs of credential requests (decision 0059), a fetched batch in one transaction
 * (decision 0060). Each request is locked and skipped when no longer pending, so a retry or
 * a second worker never issues twice.
 */
export const credentialIssueHandler = ({ db, env }: { db: Db; env: Env }) =>
  handleQueue(credentialIssueQueue, async (jobs, log) => {
    const keys = await issuerKeys(env);
    const outcomes = await runIssuances(
      { db, keys, maxValidityDays: env.MADOGUCHI_MDOC_MAX_DAYS, publicOrigin: env.publicOrigin },
      jobs.map((job) => job.data),
    );
    for (const [i, job] of jobs.entries())
      log.info(
        { requestId: job.data.requestId, outcome: outcomes[i] },
        'credential request worked',
      );
  });
