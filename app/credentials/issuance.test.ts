import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import type { PgBoss } from 'pg-boss';
import { useTestDatabase } from '../../test/database.ts';
import { auditEntries, routeContext } from '../../test/support/routes.ts';
import {
  apiRequest,
  call,
  createClient,
  createResident,
  linkDevice,
  testSecrets,
} from '../../test/support/app-api.ts';
import {
  endRegister,
  giveCard,
  issuanceOf,
  keyProof,
  newDevice,
  withIssuerFolder,
  type Device,
} from '../../test/support/credentials.ts';
import { presentAndVerify } from '../../test/support/mdoc-verifier.ts';
import { startBoss } from '../../jobs/boss.ts';
import { createQueues } from '../../jobs/worker.ts';
import { queues } from '../../jobs/queues.ts';
import { startIssuanceWorker, type IssuanceWorker } from './issuance-worker.server.ts';
import { createLogger } from '../platform/logger.server.ts';
import type { AppContext } from '../context.ts';
import * as metadataRoute from '../routes/[.well-known].openid-credential-issuer.ts';
import * as nonceRoute from '../routes/credentials.nonce.ts';
import * as credentialRoute from '../routes/credentials.credential.ts';
import * as deferredRoute from '../routes/credentials.deferred.ts';
import * as notificationRoute from '../routes/credentials.notification.ts';
import * as linkRoute from '../routes/api.v1.link.ts';
import { myNumberCard, mobileDrivingLicence } from './doctypes.ts';
import { issuerKeys } from './issuer-keys.server.ts';
import { nonceKey } from './c-nonce.server.ts';
import { newNonce } from './issuance.service.server.ts';
import { runIssuance } from './issuance-batch.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
let boss: PgBoss;
// Started by 'with the issuance worker' and kept for the tests after it.
let worker: IssuanceWorker | undefined;
let context: AppContext;
let aud: string;
const secrets = testSecrets();

beforeAll(async () => {
  boss = await startBoss(database.connection.sql, createLogger('silent'), { supervise: false });
  await createQueues(boss, queues);
  const base = withIssuerFolder(routeContext(db(), boss));
  // Without a worker the endpoint answers 202 after this short wait (the deferred path).
  context = { ...base, secrets, env: { ...base.env, MADOGUCHI_CREDENTIAL_WAIT_MS: 300 } };
  aud = context.env.publicOrigin;
});
afterAll(async () => {
  await worker?.stop();
  await boss.stop({ graceful: false });
});

const post = (path: string, token: string | null, json: unknown) =>
  new Request(`http://localhost:3000${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: typeof json === 'string' ? json : JSON.stringify(json),
  });

async function nonce(): Promise<string> {
  const response = await call(nonceRoute.action, post('/credentials/nonce', null, {}), context);
  expect(response.status).toBe(200);
  expect(response.headers.get('Cache-Control')).toBe('no-store');
  return ((await response.json()) as { c_nonce: string }).c_nonce;
}

/** A resident with a card, linked to a new client: the app's access token. */
async function linkedApp() {
  const residentId = await createResident(db());
  await giveCard(db(), residentId);
  const clientId = await createClient(db());
  const tokens = await linkDevice(db(), secrets, clientId, residentId);
  return { residentId, clientId, token: tokens.access_token };
}

async function requestWith(
  token: string,
  proofs: string[],
  configuration = myNumberCard.configurationId,
) {
  const response = await call(
    credentialRoute.action,
    post('/credentials/credential', token, {
      credential_configuration_id: configuration,
      proofs: { jwt: proofs },
    }),
    context,
  );
  return { response, body: (await response.json().catch(() => null)) as Record<string, unknown> };
}

async function verifyWith(credential: string, device: Device, config = myNumberCard) {
  const keys = await issuerKeys(context.env);
  return presentAndVerify({
    config,
    issuerSigned: Buffer.from(credential, 'base64url'),
    devicePrivateJwk: device.privateJwk,
    iacaPems: [keys.iaca.certificatePem],
  });
}

/** What the worker gives the job's work, for tests that run it by hand. */
const jobDeps = async () => ({
  db: db(),
  keys: await issuerKeys(context.env),
  maxValidityDays: 90,
  publicOrigin: aud,
});

describe('credential issuer metadata', () => {
  it('names the endpoints, the batch size, ja/en names and an mso_mdoc configuration per document type', async () => {
    const response = await call(
      metadataRoute.loader,
      new Request('http://localhost:3000/.well-known/openid-credential-issuer'),
      context,
    );
    expect(response.status).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- read as the wallet reads it
    const m = (await response.json()) as Record<string, any>;
    expect(m.credential_issuer).toBe(aud);
    expect(m.credential_endpoint).toBe(`${aud}/credentials/credential`);
    expect(m.nonce_endpoint).toBe(`${aud}/credentials/nonce`);
    expect(m.deferred_credential_endpoint).toBe(`${aud}/credentials/deferred`);
    expect(m.notification_endpoint).toBe(`${aud}/credentials/notification`);
    expect(m.batch_credential_issuance.batch_size).toBeGreaterThanOrEqual(2);
    expect(m.display.map((d: { locale: string }) => d.locale)).toEqual(['ja', 'en']);
    const mnc = m.credential_configurations_supported[myNumberCard.configurationId];
    expect(mnc).toMatchObject({
      format: 'mso_mdoc',
      doctype: 'org.iso.23220.1.jp.mnc',
      cryptographic_binding_methods_supported: ['cose_key'],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
    });
    expect(mnc.credential_metadata.display).toEqual([
      { name: myNumberCard.display.ja, locale: 'ja' },
      { name: myNumberCard.display.en, locale: 'en' },
    ]);
    expect(mnc.credential_metadata.claims).toContainEqual(
      expect.objectContaining({ path: ['org.iso.23220.1.jp', 'resident_address_unicode'] }),
    );
    expect(
      m.credential_configurations_supported[mobileDrivingLicence.configurationId],
    ).toBeDefined();
  });
});

describe('without a worker: deferred issuance', () => {
  it('answers 202 with a transaction_id, then the deferred endpoint hands out the credential once', async () => {
    const app = await linkedApp();
    const device = newDevice();
    const { response, body } = await requestWith(app.token, [
      await keyProof(device, { aud, nonce: await nonce() }),
    ]);
    expect(response.status).toBe(202);
    expect(body).toEqual({ transaction_id: expect.any(String), interval: 5 });
    const transactionId = body.transaction_id as string;

    const deferred = () =>
      call(
        deferredRoute.action,
        post('/credentials/deferred', app.token, { transaction_id: transactionId }),
        context,
      );
    const pending = await deferred();
    expect(pending.status).toBe(202);
    expect(await pending.json()).toEqual({ transaction_id: transactionId, interval: 5 });

    // Another client of the same resident cannot collect it.
    const other = await createClient(db());
    const otherToken = (await linkDevice(db(), secrets, other, app.residentId)).access_token;
    const foreign = await call(
      deferredRoute.action,
      post('/credentials/deferred', otherToken, { transaction_id: transactionId }),
      context,
    );
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toMatchObject({ error: 'invalid_transaction_id' });

    // The job's work (as the worker would run it), twice at once: issued exactly once.
    const [request] = (await issuanceOf(db(), app.residentId)).requests;
    const deps = await jobDeps();
    const key = { residentId: app.residentId, requestId: request!.id };
    const outcomes = await Promise.all([runIssuance(deps, key), runIssuance(deps, key)]);
    expect(outcomes.sort()).toEqual(['done', 'issued']);
    expect((await issuanceOf(db(), app.residentId)).credentials).toHaveLength(1);

    const collected = await deferred();
    expect(collected.status).toBe(200);
    expect(collected.headers.get('Cache-Control')).toBe('no-store');
    const result = (await collected.json()) as {
      credentials: { credential: string }[];
      notification_id: string;
    };
    expect(result.credentials).toHaveLength(1);
    expect((await verifyWith(result.credentials[0]!.credential, device)).failed).toEqual([]);
    // Collected once: the bytes are gone from the database, a second collection is refused.
    const stored = await issuanceOf(db(), app.residentId);
    expect(stored.credentials[0]!.issuerSigned).toBeNull();
    expect(stored.credentials[0]!.collectedAt).not.toBeNull();
    const again = await deferred();
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_transaction_id' });
  });
  it('collections racing the job and each other hand the credentials out once, never empty', async () => {
    // The collection is one statement (decision 0060 addendum): one that starts while the job
    // commits must answer pending or the credential, never "collected" with nothing in it.
    const deps = await jobDeps();
    for (let round = 0; round < 6; round++) {
      const app = await linkedApp();
      const { body } = await requestWith(app.token, [
        await keyProof(newDevice(), { aud, nonce: await nonce() }),
      ]);
      const transactionId = body.transaction_id as string;
      const [request] = (await issuanceOf(db(), app.residentId)).requests;
      const answers: { status: number; body: Record<string, unknown> }[] = [];
      const collector = async () => {
        for (;;) {
          const response = await call(
            deferredRoute.action,
            post('/credentials/deferred', app.token, { transaction_id: transactionId }),
            context,
          );
          const answer = { status: response.status, body: (await response.json()) as never };
          answers.push(answer);
          if (response.status !== 202) return;
        }
      };
      await Promise.all([
        runIssuance(deps, { residentId: app.residentId, requestId: request!.id }),
        collector(),
        collector(),
        collector(),
      ]);
      const handed = answers.filter((a) => a.status === 200);
      expect(handed).toHaveLength(1);
      expect(handed[0]!.body).toMatchObject({ credentials: [{ credential: expect.any(String) }] });
      expect(answers.filter((a) => a.status !== 200 && a.status !== 202)).toEqual(
        Array.from({ length: 2 }, () => ({
          status: 400,
          body: expect.objectContaining({ error: 'invalid_transaction_id' }),
        })),
      );
      const audited = await auditEntries(db(), { actionPrefix: 'credential.collect' });
      expect(audited.filter((e) => e.targetId === request!.id)).toMatchObject([
        { outcome: 'success', details: { credentials: [expect.any(String)] } },
      ]);
    }
  });

  it('the job refuses a request whose link ended meanwhile: failed, nothing issued, audited', async () => {
    const app = await linkedApp();
    const { response, body } = await requestWith(app.token, [
      await keyProof(newDevice(), { aud, nonce: await nonce() }),
    ]);
    expect(response.status).toBe(202);
    const unlinked = await call(
      linkRoute.action,
      apiRequest('/api/v1/link', { method: 'DELETE', token: app.token }),
      context,
    );
    expect(unlinked.status).toBe(204);
    const [request] = (await issuanceOf(db(), app.residentId)).requests;
    const deps = await jobDeps();
    expect(await runIssuance(deps, { residentId: app.residentId, requestId: request!.id })).toBe(
      'failed',
    );
    expect(await issuanceOf(db(), app.residentId)).toMatchObject({
      requests: [{ state: 'failed', failure: 'link_ended' }],
      credentials: [],
    });
    const deferred = await call(
      deferredRoute.action,
      post('/credentials/deferred', app.token, { transaction_id: body.transaction_id }),
      context,
    );
    expect(deferred.status).toBe(401);
    const issued = await auditEntries(db(), { action: 'credential.issue', targetId: request!.id });
    expect(issued).toMatchObject([{ outcome: 'failure', details: { reason: 'link_ended' } }]);
  });
});

describe('with the issuance worker', () => {
  beforeAll(async () => {
    // The immediate answer waits for the job: a loaded test machine may need longer than the
    // 2 s default, and an answer at once must not depend on the machine's speed.
    context = { ...context, env: { ...context.env, MADOGUCHI_CREDENTIAL_WAIT_MS: 20_000 } };
    worker = await startIssuanceWorker({
      db: db(),
      sql: database.connection.sql,
      env: context.env,
      log: createLogger('silent'),
    });
  });

  it('issues at once: a verified mdoc bound to the proof key, then a notification; all audited', async () => {
    const app = await linkedApp();
    const device = newDevice();
    const { response, body } = await requestWith(app.token, [
      await keyProof(device, { aud, nonce: await nonce() }),
    ]);
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const credentials = body.credentials as { credential: string }[];
    expect(credentials).toHaveLength(1);
    const verified = await verifyWith(credentials[0]!.credential, device);
    expect(verified.failed).toEqual([]);
    expect(verified.mdoc.documents[0]!.docType).toBe('org.iso.23220.1.jp.mnc');

    const notified = await call(
      notificationRoute.action,
      post('/credentials/notification', app.token, {
        notification_id: body.notification_id,
        event: 'credential_accepted',
      }),
      context,
    );
    expect(notified.status).toBe(204);
    const stored = await issuanceOf(db(), app.residentId);
    expect(stored.requests).toMatchObject([
      { state: 'issued', notificationEvent: 'credential_accepted' },
    ]);
    const audited = await auditEntries(db(), { actionPrefix: 'credential.' });
    const mine = audited.filter((e) => e.targetId === stored.requests[0]!.id).map((e) => e.action);
    expect(mine).toEqual([
      'credential.request',
      'credential.issue',
      'credential.collect',
      'credential.notification',
    ]);

    // Another client's notification, an unknown id, a bad event: the spec's errors.
    const other = await linkedApp();
    const foreign = await call(
      notificationRoute.action,
      post('/credentials/notification', other.token, {
        notification_id: body.notification_id,
        event: 'credential_deleted',
      }),
      context,
    );
    expect(await foreign.json()).toMatchObject({ error: 'invalid_notification_id' });
    const badEvent = await call(
      notificationRoute.action,
      post('/credentials/notification', app.token, {
        notification_id: body.notification_id,
        event: 'lost',
      }),
      context,
    );
    expect(badEvent.status).toBe(400);
    expect(await badEvent.json()).toMatchObject({ error: 'invalid_notification_request' });
  });

  it('issues a batch of two: one mdoc per device key, each verified with its own key, distinct status indices', async () => {
    const app = await linkedApp();
    const devices = [newDevice(), newDevice()];
    const c = await nonce();
    const { response, body } = await requestWith(
      app.token,
      await Promise.all(devices.map((d) => keyProof(d, { aud, nonce: c }))),
    );
    expect(response.status).toBe(200);
    const credentials = body.credentials as { credential: string }[];
    expect(credentials).toHaveLength(2);
    // Each mdoc verifies with exactly one of the two keys.
    for (const { credential } of credentials) {
      const results = await Promise.all(devices.map((d) => verifyWith(credential, d)));
      expect(results.filter((r) => r.failed.length === 0)).toHaveLength(1);
    }
    const stored = (await issuanceOf(db(), app.residentId)).credentials;
    expect(new Set(stored.map((s) => `${s.statusListId}/${s.statusIndex}`)).size).toBe(2);
    // RFC 7638 thumbprints, as jose computes them.
    expect(stored.map((s) => s.deviceKeyThumbprint).sort()).toEqual(
      (await Promise.all(devices.map((d) => calculateJwkThumbprint(d.publicJwk)))).sort(),
    );
  });

  it('issues the demo mDL configuration the same way', async () => {
    const app = await linkedApp();
    const device = newDevice();
    const { response, body } = await requestWith(
      app.token,
      [await keyProof(device, { aud, nonce: await nonce() })],
      mobileDrivingLicence.configurationId,
    );
    expect(response.status).toBe(200);
    const [first] = body.credentials as { credential: string }[];
    expect((await verifyWith(first!.credential, device, mobileDrivingLicence)).failed).toEqual([]);
  });

  it('a concurrent double submit of the same request issues once', async () => {
    const app = await linkedApp();
    const proof = await keyProof(newDevice(), { aud, nonce: await nonce() });
    const answers = await Promise.all([
      requestWith(app.token, [proof]),
      requestWith(app.token, [proof]),
    ]);
    const statuses = answers.map((a) => a.response.status).sort();
    expect(statuses).toEqual([200, 400]);
    expect(answers.find((a) => a.response.status === 400)!.body).toMatchObject({
      error: 'invalid_nonce',
    });
    const stored = await issuanceOf(db(), app.residentId);
    expect(stored.requests).toHaveLength(1);
    expect(stored.credentials).toHaveLength(1);
  });
});

describe('refusals: the specified error, nothing issued', () => {
  /** Sends `proofs` (made per case) and expects `error` with `status`, and no request stored. */
  async function refused(
    make: (c: { nonce: string; device: Device }) => Promise<string[]> | string[],
    error: string,
    options: {
      status?: number;
      configuration?: string;
      app?: Awaited<ReturnType<typeof linkedApp>>;
    } = {},
  ) {
    const app = options.app ?? (await linkedApp());
    const device = newDevice();
    const proofs = await make({ nonce: await nonce(), device });
    const { response, body } = await requestWith(app.token, proofs, options.configuration);
    expect(response.status).toBe(options.status ?? 400);
    expect(response.headers.get('Content-Type')).toContain('application/json');
    expect(body).toMatchObject({ error, error_description: expect.any(String) });
    expect(await issuanceOf(db(), app.residentId)).toEqual({ requests: [], credentials: [] });
  }

  it('malformed JWTs', async () => {
    await refused(() => ['a.b.c'], 'invalid_proof');
    await refused(() => ['not a jwt'], 'invalid_credential_request');
    await refused(() => [], 'invalid_credential_request');
  });

  it('a wrong algorithm, curve or type', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const p384Device = {
      publicJwk: p384.publicKey.export({ format: 'jwk' }),
      privateJwk: p384.privateKey.export({ format: 'jwk' }),
    } as unknown as Device;
    await refused(
      ({ nonce }) => Promise.all([keyProof(p384Device, { aud, nonce }, { alg: 'ES384' })]),
      'invalid_proof',
    );
    await refused(
      ({ nonce, device }) =>
        Promise.all([keyProof(device, { aud, nonce }, { headerJwk: p384Device.publicJwk })]),
      'invalid_proof',
    );
    await refused(
      ({ nonce, device }) => Promise.all([keyProof(device, { aud, nonce }, { typ: 'JWT' })]),
      'invalid_proof',
    );
  });

  it('a proof signed by another key than its header names', async () => {
    const other = newDevice();
    await refused(
      ({ nonce, device }) =>
        Promise.all([keyProof(device, { aud, nonce }, { signWith: other.privateJwk as never })]),
      'invalid_proof',
    );
  });

  it('a wrong audience or a stale iat', async () => {
    await refused(
      ({ nonce, device }) =>
        Promise.all([keyProof(device, { aud: 'https://other.example', nonce })]),
      'invalid_proof',
    );
    const old = Math.floor(Date.now() / 1000) - 3600;
    await refused(
      ({ nonce, device }) => Promise.all([keyProof(device, { aud, nonce, iat: old })]),
      'invalid_proof',
    );
  });

  it('replayed, unknown, missing and expired nonces', async () => {
    const app = await linkedApp();
    const used = await nonce();
    const first = await requestWith(app.token, [await keyProof(newDevice(), { aud, nonce: used })]);
    expect(first.response.status).toBe(200);
    const replay = await requestWith(app.token, [
      await keyProof(newDevice(), { aud, nonce: used }),
    ]);
    expect(replay.body).toMatchObject({ error: 'invalid_nonce' });
    expect((await issuanceOf(db(), app.residentId)).requests).toHaveLength(1);

    await refused(
      ({ device }) => Promise.all([keyProof(device, { aud, nonce: 'never-issued' })]),
      'invalid_nonce',
    );
    await refused(({ device }) => Promise.all([keyProof(device, { aud })]), 'invalid_nonce');
    const expired = newNonce(nonceKey(secrets), new Date(Date.now() - 10 * 60_000)).nonce;
    await refused(
      ({ device }) => Promise.all([keyProof(device, { aud, nonce: expired })]),
      'invalid_nonce',
    );
  });

  it('the same device key twice, or more proofs than the batch size', async () => {
    await refused(
      async ({ nonce, device }) => [
        await keyProof(device, { aud, nonce }),
        await keyProof(device, { aud, nonce }),
      ],
      'invalid_proof',
    );
    await refused(
      ({ nonce }) =>
        Promise.all(Array.from({ length: 5 }, () => keyProof(newDevice(), { aud, nonce }))),
      'invalid_credential_request',
    );
  });

  it('an unknown configuration', async () => {
    await refused(
      ({ nonce, device }) => Promise.all([keyProof(device, { aud, nonce })]),
      'unknown_credential_configuration',
      { configuration: 'org.example.unknown' },
    );
  });

  it('a huge or non-JSON body, a missing or bad token', async () => {
    const app = await linkedApp();
    for (const body of [
      '{"credential_configuration_id":',
      'x'.repeat(200_000),
      JSON.stringify({ a: 'x'.repeat(70_000) }),
    ]) {
      const response = await call(
        credentialRoute.action,
        post('/credentials/credential', app.token, body),
        context,
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_credential_request' });
    }
    for (const token of [null, 'at2.nonsense']) {
      const response = await call(
        credentialRoute.action,
        post('/credentials/credential', token, {}),
        context,
      );
      expect(response.status).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toContain('invalid_token');
      expect(await response.json()).toMatchObject({ error: 'invalid_token' });
    }
    const get = await call(credentialRoute.loader, apiRequest('/credentials/credential'), context);
    expect(get.status).toBe(405);
    expect(await issuanceOf(db(), app.residentId)).toEqual({ requests: [], credentials: [] });
  });

  it('an expired card, no card, a resident who moved out or died: credential_request_denied', async () => {
    const proof = ({ nonce, device }: { nonce: string; device: Device }) =>
      Promise.all([keyProof(device, { aud, nonce })]);
    const expired = await linkedApp();
    await giveCard(db(), expired.residentId, { issuedOn: '2015-01-01', expiresOn: '2025-01-01' });
    await refused(proof, 'credential_request_denied', { app: expired });
    const movedOut = await linkedApp();
    await endRegister(db(), movedOut.residentId, 'moved_out');
    await refused(proof, 'credential_request_denied', { app: movedOut });
    const died = await linkedApp();
    await endRegister(db(), died.residentId, 'died');
    await refused(proof, 'credential_request_denied', { app: died });
    const noCard = await linkedApp();
    const residentId = await createResident(db());
    const clientId = await createClient(db());
    const token = (await linkDevice(db(), secrets, clientId, residentId)).access_token;
    await refused(proof, 'credential_request_denied', { app: { ...noCard, residentId, token } });
    const denied = await auditEntries(db(), { action: 'credential.request' });
    expect(
      denied
        .filter((e) => e.outcome === 'denied')
        .map((e) => (e.details as { reason: string }).reason),
    ).toEqual(expect.arrayContaining(['card_expired', 'moved_out', 'died', 'no_card']));
  });
});
