/**
 * The credential request row as its own queue (decision 0060, addendum "the request row is
 * its own queue"), against a real PostgreSQL: workers racing over the same rows sign each
 * once, a dead worker's lease runs out and its rows are issued by another, the poll alone
 * issues a request when no NOTIFY is heard, a request that keeps failing is retried with
 * backoff and then dead, and an operator's retry brings it back and the NOTIFY wakes a worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import { useTestDatabase } from '../../test/database.ts';
import { auditEntries, routeContext } from '../../test/support/routes.ts';
import {
  createClient,
  createResident,
  linkDevice,
  testSecrets,
} from '../../test/support/app-api.ts';
import { giveCard, keyProof, newDevice, withIssuerFolder } from '../../test/support/credentials.ts';
import { startBoss } from '../../jobs/boss.ts';
import { createLogger } from '../platform/logger.server.ts';
import type { Env } from '../env.server.ts';
import { jobQueues, retryDeadLetter } from '../operations/operations.service.server.ts';
import { myNumberCard } from './doctypes.ts';
import { issuerKeys, type IssuerKeys } from './issuer-keys.server.ts';
import { nonceKey } from './c-nonce.server.ts';
import { collectCredentials, newNonce, requestCredential } from './issuance.service.server.ts';
import {
  issuePending,
  issuePolicy,
  runIssuances,
  type IssuanceDeps,
  type IssuePolicy,
} from './issuance-batch.server.ts';
import {
  buryExpired,
  claimRequests,
  finishClaimed,
  ISSUE_QUEUE,
  ISSUED_CHANNEL,
} from './issuance-queue.repository.server.ts';
import {
  holdForCollection,
  issuanceWaiter,
  letGo,
  listenForIssued,
} from './issuance-wake.server.ts';
import { startIssuanceWorker } from './issuance-worker.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const secrets = testSecrets();
const log = createLogger('silent');
let boss: PgBoss;
let env: Env;

beforeAll(async () => {
  boss = await startBoss(database.connection.sql, log, { supervise: false });
  env = withIssuerFolder(routeContext(db(), boss)).env;
});
afterAll(async () => {
  await boss.stop({ graceful: false });
});

const deps = async (keys?: IssuerKeys): Promise<IssuanceDeps> => ({
  db: db(),
  keys: keys ?? (await issuerKeys(env)),
  maxValidityDays: 90,
  publicOrigin: env.publicOrigin,
});

/** The Document Signer cannot be reached: every batch that signs throws (not a refusal). */
const unreachableSigner = async (): Promise<IssuerKeys> => {
  const keys = await issuerKeys(env);
  return {
    ...keys,
    get current(): IssuerKeys['current'] {
      throw new Error('the signing service is unreachable (test)');
    },
  };
};

/** A stored, pending credential request of a new resident with a card and a linked app. */
async function pendingRequest(proofKeys = 1) {
  const residentId = await createResident(db());
  await giveCard(db(), residentId);
  const clientId = await createClient(db(), 'queue');
  await linkDevice(db(), secrets, clientId, residentId);
  const link = await db()
    .selectFrom('appLink')
    .select('id')
    .where('residentId', '=', residentId)
    .where('clientId', '=', clientId)
    .executeTakeFirstOrThrow();
  const proofs: string[] = [];
  for (let i = 0; i < proofKeys; i++)
    proofs.push(
      await keyProof(newDevice(), {
        aud: env.publicOrigin,
        nonce: newNonce(nonceKey(secrets)).nonce,
      }),
    );
  const accepted = await requestCredential(
    { db: db(), credentialIssuer: env.publicOrigin, nonceKey: nonceKey(secrets) },
    { linkId: link.id, clientId, residentId, ip: null },
    { credential_configuration_id: myNumberCard.configurationId, proofs: { jwt: proofs } },
  );
  return { residentId, requestId: accepted.requestId, proofKeys };
}

/** A worker on this test's database (`listen: false`: its poll alone). */
const startWorker = (options: { listen?: boolean; pollMs: number }) =>
  startIssuanceWorker({ db: db(), sql: database.connection.sql, env, log, ...options });

const requestRow = (requestId: string) =>
  db()
    .selectFrom('credentialIssuanceRequest')
    .select(['state', 'attempts', 'claimedUntil', 'lastError', 'deadAt'])
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();

const credentialsOf = (requestId: string) =>
  db().selectFrom('issuedCredential').select('id').where('requestId', '=', requestId).execute();

describe('the request row as its own queue', () => {
  it('the request is one statement: of requests racing with one nonce exactly one is stored', async () => {
    const { residentId } = await pendingRequest();
    const link = await db()
      .selectFrom('appLink')
      .select(['id', 'clientId'])
      .where('residentId', '=', residentId)
      .executeTakeFirstOrThrow();
    const caller = { linkId: link.id, clientId: link.clientId, residentId, ip: null };
    const { nonce } = newNonce(nonceKey(secrets));
    const send = async () =>
      requestCredential(
        { db: db(), credentialIssuer: env.publicOrigin, nonceKey: nonceKey(secrets) },
        caller,
        {
          credential_configuration_id: myNumberCard.configurationId,
          proofs: { jwt: [await keyProof(newDevice(), { aud: env.publicOrigin, nonce })] },
        },
      );
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, send));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.status === 'rejected'))
      expect(o.reason).toMatchObject({ code: 'invalid_nonce' });
    const rows = await db()
      .selectFrom('credentialIssuanceRequest')
      .select('id')
      .where('residentId', '=', residentId)
      .execute();
    expect(rows).toHaveLength(2); // the first request of pendingRequest, and the winner
    const audited = await auditEntries(db(), { action: 'credential.request' });
    expect(audited.filter((e) => rows.some((r) => r.id === e.targetId))).toHaveLength(2);
  });

  it('two workers racing over the same pending rows sign each request once', async () => {
    const requests = await Promise.all(
      Array.from({ length: 24 }, (_, i) => pendingRequest(1 + (i % 3))),
    );
    const d = await deps();
    const policy: IssuePolicy = { ...issuePolicy, batchSize: 5 };
    // Two workers draining the queue at once, and a tool naming every request at the same time.
    const drain = async () => {
      while ((await issuePending(d, policy)).claimed > 0);
    };
    const [, , named] = await Promise.all([drain(), drain(), runIssuances(d, requests)]);
    await drain();

    expect(named.every((o) => o === 'issued' || o === 'done')).toBe(true);
    for (const r of requests) {
      expect(await requestRow(r.requestId)).toMatchObject({ state: 'issued', claimedUntil: null });
      expect(await credentialsOf(r.requestId)).toHaveLength(r.proofKeys);
      const audited = await auditEntries(db(), {
        action: 'credential.issue',
        targetId: r.requestId,
      });
      expect(audited).toMatchObject([{ outcome: 'success' }]);
    }
    // Every status index handed out once.
    const { rows } = await sql<{ n: number; distinct: number }>`
      select count(*)::int as n, count(distinct (status_list_id, status_index))::int as distinct
      from issued_credential`.execute(db());
    expect(rows[0]!.n).toBe(rows[0]!.distinct);
  });

  it('a claim whose worker died is claimed again after its lease; the late worker writes nothing', async () => {
    const request = await pendingRequest();
    const key = [{ residentId: request.residentId, requestId: request.requestId }];
    // Worker A claims with a 1 s lease, then "dies" (never finishes).
    const [stale] = await claimRequests(db(), {
      limit: 1,
      leaseSeconds: 1,
      maxAttempts: 4,
      keys: key,
    });
    expect(stale).toMatchObject({ id: request.requestId, attempts: 1 });
    // While the lease lasts nobody else takes it.
    expect(await runIssuances(await deps(), key)).toEqual(['done']);
    expect(await credentialsOf(request.requestId)).toHaveLength(0);

    // A running worker (poll only) issues it once the lease has run out.
    const worker = await startWorker({ listen: false, pollMs: 200 });
    try {
      await expect
        .poll(async () => (await requestRow(request.requestId)).state, { timeout: 10_000 })
        .toBe('issued');
    } finally {
      await worker.stop();
    }
    expect(await requestRow(request.requestId)).toMatchObject({ attempts: 2 });
    expect(await credentialsOf(request.requestId)).toHaveLength(1);

    // Worker A wakes up and writes its results: fenced off by the newer claim.
    const late = await finishClaimed(
      db(),
      {
        finished: [{ ...stale!, state: 'failed', failure: 'issue_failed' }],
        credentials: [],
        audits: [],
      },
      new Date(),
    );
    expect(late).toEqual([]);
    expect(await requestRow(request.requestId)).toMatchObject({ state: 'issued' });
    expect(
      await auditEntries(db(), { action: 'credential.issue', targetId: request.requestId }),
    ).toHaveLength(1);
  });

  it('a request whose worker died on its last attempt is dead once the lease runs out', async () => {
    const request = await pendingRequest();
    const key = [{ residentId: request.residentId, requestId: request.requestId }];
    await claimRequests(db(), { limit: 1, leaseSeconds: 0.2, maxAttempts: 1, keys: key });
    expect(await buryExpired(db(), 1)).toEqual([]); // the lease still runs
    await new Promise((r) => setTimeout(r, 300));
    expect(await buryExpired(db(), 1)).toEqual([request.requestId]);
    expect(await requestRow(request.requestId)).toMatchObject({
      state: 'pending',
      deadAt: expect.any(Date),
      lastError: 'the worker stopped during the last attempt',
    });
  });

  it('without any NOTIFY the poll issues the request; with LISTEN the commit wakes the worker', async () => {
    const polled = await startWorker({ listen: false, pollMs: 300 });
    try {
      const request = await pendingRequest();
      await expect
        .poll(async () => (await requestRow(request.requestId)).state, { timeout: 10_000 })
        .toBe('issued');
    } finally {
      await polled.stop();
    }
    // Polling once a minute: only the request's NOTIFY can make this quick.
    const listening = await startWorker({ pollMs: 60_000 });
    try {
      await new Promise((r) => setTimeout(r, 200)); // its first turn found nothing
      const request = await pendingRequest();
      await expect
        .poll(async () => (await requestRow(request.requestId)).state, { timeout: 5_000 })
        .toBe('issued');
    } finally {
      await listening.stop();
    }
  });

  it('the worker hands the credentials to the request waiting in its process: collected once, audited, never stored', async () => {
    const request = await pendingRequest(2);
    const collector = { clientId: 'queue', ip: '192.0.2.7' };
    const waiter = issuanceWaiter(request.requestId, 5_000, collector);
    expect(await runIssuances(await deps(), [request])).toEqual(['issued']);
    expect(await waiter.woken).toBe(true);
    const handed = waiter.handedOver();
    expect(handed?.credentials).toHaveLength(2);

    const stored = await db()
      .selectFrom('issuedCredential')
      .select(['id', 'issuerSigned', 'collectedAt'])
      .where('requestId', '=', request.requestId)
      .orderBy('statusIndex')
      .execute();
    expect(stored.map((c) => [c.issuerSigned, c.collectedAt === null])).toEqual([
      [null, false],
      [null, false],
    ]);
    const row = await db()
      .selectFrom('credentialIssuanceRequest')
      .select(['state', 'collectedAt'])
      .where('id', '=', request.requestId)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('issued');
    expect(row.collectedAt).not.toBeNull();
    // Issued, then collected by the app from the caller's address, naming the credentials.
    const audits = await auditEntries(db(), { targetId: request.requestId });
    expect(audits.map((a) => [a.action, a.actorId])).toEqual([
      ['credential.request', expect.any(String)],
      ['credential.issue', 'credentials.issue'],
      ['credential.collect', 'queue'],
    ]);
    expect(audits[2]!.details).toEqual({ credentials: stored.map((c) => c.id) });
    // Nothing is left to collect: the deferred endpoint's collection says so.
    const caller = {
      linkId: '00000000-0000-0000-0000-000000000000',
      clientId: 'queue',
      residentId: request.residentId,
      ip: null,
    };
    await expect(collectCredentials(db(), caller, request)).rejects.toMatchObject({
      code: 'invalid_transaction_id',
    });
  });

  it('a waiter held for a request this claim did not finish is let go, and collects by itself', async () => {
    const request = await pendingRequest();
    const collector = { clientId: 'queue', ip: null };
    const waiter = issuanceWaiter(request.requestId, 50, collector);
    const claimed = await claimRequests(db(), {
      limit: 1,
      leaseSeconds: 60,
      maxAttempts: 4,
      keys: [request],
    });
    // Another claim fences this one off (its lease ran out and the row was claimed again).
    await sql`update credential_issuance_request set attempts = attempts + 1
              where id = ${request.requestId}`.execute(db());
    const held = holdForCollection([request.requestId]);
    expect([...held.keys()]).toEqual([request.requestId]);
    const done = await finishClaimed(
      db(),
      {
        finished: [
          {
            ...claimed[0]!,
            state: 'issued',
            failure: null,
            collector: held.get(request.requestId),
          },
        ],
        credentials: [],
        audits: [],
      },
      new Date(),
    );
    expect(done).toEqual([]);
    // Held, the waiter outlives its 50 ms until the worker lets it go.
    await new Promise((r) => setTimeout(r, 120));
    let settled = false;
    void waiter.woken.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    letGo(held.keys(), { finished: false });
    // Its own time then runs out as usual: pending, nothing handed over.
    expect(await waiter.woken).toBe(false);
    expect(waiter.handedOver()).toBeNull();
  });

  it('a web process without the worker is woken through PostgreSQL when its request is issued', async () => {
    // What a web process (MADOGUCHI_ROLE=web) hears: one notification per finished request,
    // sent by the batch's results statement at its commit.
    const heard: string[] = [];
    const listening = await database.connection.sql.listen(ISSUED_CHANNEL, (id) => heard.push(id));
    const web = await listenForIssued(database.connection.sql);
    try {
      const request = await pendingRequest(2);
      // A waiter as the credential endpoint makes it; the notification alone must wake it.
      const waiter = issuanceWaiter(request.requestId, 5_000);
      await database.connection.sql`select pg_notify(${ISSUED_CHANNEL}, ${request.requestId})`;
      expect(await waiter.woken).toBe(true);
      heard.length = 0;
      expect(await runIssuances(await deps(), [request])).toEqual(['issued']);
      await expect.poll(() => heard, { timeout: 5_000 }).toEqual([request.requestId]);
    } finally {
      await web.stop();
      await listening.unlisten();
    }
  });

  it('is retried with backoff after failures, dead after the last attempt, and an operator retry issues it', async () => {
    const request = await pendingRequest();
    const key = [{ residentId: request.residentId, requestId: request.requestId }];
    const policy: IssuePolicy = { ...issuePolicy, maxAttempts: 3, retryDelaySeconds: 0.2 };
    const broken = await deps(await unreachableSigner());

    // The signing fails for this request alone (the batch's others would go on): an attempt.
    expect(await runIssuances(broken, key, new Date(), policy)).toEqual(['done']);
    const first = await requestRow(request.requestId);
    expect(first).toMatchObject({
      state: 'pending',
      attempts: 1,
      deadAt: null,
      lastError: 'Error: the signing service is unreachable (test)',
    });
    // Backing off: not claimed again before claimed_until.
    expect(await runIssuances(broken, key, new Date(), policy)).toEqual(['done']);
    for (const attempt of [2, 3]) {
      await new Promise((r) => setTimeout(r, 250 * 2 ** (attempt - 2) + 50));
      expect(await runIssuances(broken, key, new Date(), policy)).toEqual(['done']);
      expect(await requestRow(request.requestId)).toMatchObject({ attempts: attempt });
    }
    const dead = await requestRow(request.requestId);
    expect(dead).toMatchObject({ state: 'pending', attempts: 3, deadAt: expect.any(Date) });
    expect(await credentialsOf(request.requestId)).toHaveLength(0);
    // Dead: no worker claims it any more, however long one waits.
    await new Promise((r) => setTimeout(r, 900));
    expect(await runIssuances(await deps(), key, new Date(), policy)).toEqual(['done']);

    // The operator sees it where dead letters are shown …
    const shown = await jobQueues(boss, db());
    // (An earlier test left a dead request of its own.)
    expect(shown.queues.find((q) => q.name === ISSUE_QUEUE)?.deadLetters).toBeGreaterThan(0);
    expect(shown.deadLetters.filter((d) => d.id === request.requestId)).toMatchObject([
      {
        id: request.requestId,
        queue: ISSUE_QUEUE,
        retries: 2,
        error: 'Error: the signing service is unreachable (test)',
      },
    ]);

    // … and retries it (once, however often submitted), with a worker listening.
    const worker = await startWorker({ pollMs: 60_000 });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const actor = {
        actorType: 'staff' as const,
        actorId: null,
        onBehalfOfResidentId: null,
        ip: null,
      };
      const target = { queue: ISSUE_QUEUE, jobId: request.requestId };
      const outcomes = await Promise.all([
        retryDeadLetter(db(), boss, actor, target),
        retryDeadLetter(db(), boss, actor, target),
      ]);
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['gone', 'retried']);
      // The retry's NOTIFY wakes the worker (its poll is a minute away).
      await expect
        .poll(async () => (await requestRow(request.requestId)).state, { timeout: 5_000 })
        .toBe('issued');
    } finally {
      await worker.stop();
    }
    expect(await credentialsOf(request.requestId)).toHaveLength(1);
    expect(
      await auditEntries(db(), {
        action: 'operations.dead_letter_retry',
        targetId: request.requestId,
      }),
    ).toMatchObject([{ outcome: 'success', details: { queue: ISSUE_QUEUE } }]);
    const after = (await jobQueues(boss, db())).deadLetters;
    expect(after.filter((d) => d.id === request.requestId)).toEqual([]);
  });
});
