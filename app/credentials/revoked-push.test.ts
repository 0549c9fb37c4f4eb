import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decrypt } from 'http_ece';
import type { PgBoss } from 'pg-boss';
import { useTestDatabase } from '../../test/database.ts';
import { startPushService, type PushService } from '../../test/support/push-service.ts';
import { residentWithSession } from '../../test/support/routes.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import { issueCredentials, noticesTo } from '../../test/support/issued-credentials.ts';
import { startBoss } from '../../jobs/boss.ts';
import { createQueues, startWorkers } from '../../jobs/worker.ts';
import { queues } from '../../jobs/queues.ts';
import { credentialRevokedPushHandler } from '../../jobs/handlers/credentials-revoked-push.ts';
import { pushBatchHandler, pushPlanHandler } from '../../jobs/handlers/push.ts';
import { publishNotice } from '../notices/notice.service.server.ts';
import { createLogger } from '../platform/logger.server.ts';
import { loadSecrets } from '../platform/secrets.server.ts';
import { registerPush } from '../api/push-registration.server.ts';
import { parsePushConfig } from '../push/config.server.ts';
import { createPushRuntime, type PushRuntime } from '../push/runtime.server.ts';
import { CredentialRevokedWebPushPayload } from '../api/push-payload.schema.ts';
import { openApiDocument } from '../api/openapi.server.ts';
import { myNumberCard } from './doctypes.ts';
import { revokeCredentials } from './revocation.service.server.ts';

/*
 * After a revocation the resident's app gets a push it can act on (decision 0062 addendum):
 * through the real Web Push path (aes128gcm for the app's subscription, VAPID) to a local push
 * service speaking RFC 8030, exactly once, never to a browser the resident subscribed. The
 * revocation's notice is pushed to the browser, not to the app: one push per device (issue 13).
 * The notices' own fan-out workers run too, so a second push to either would arrive here.
 */
const database = useTestDatabase();
const db = () => database.connection.db;
const secrets = testSecrets();
const log = createLogger('silent');
let [service, boss, push] = [] as unknown as [PushService, PgBoss, PushRuntime];

beforeAll(async () => {
  [service, boss] = await Promise.all([
    startPushService({ keep: true }),
    startBoss(database.connection.sql, log, { supervise: false }),
  ]);
  await createQueues(boss, queues);
  push = createPushRuntime({
    config: {
      ...parsePushConfig({ PUSH_QUIET_HOURS: 'off', PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true' }),
      extraCa: service.ca,
    },
    secrets: loadSecrets(mkdtempSync(join(tmpdir(), 'madoguchi-revoked-push-'))),
    publicOrigin: 'https://madoguchi.example.jp',
  });
  const deps = { db: db(), boss, push };
  await startWorkers(
    boss,
    [credentialRevokedPushHandler(deps), pushPlanHandler(deps), pushBatchHandler(deps)],
    log,
  );
});
afterAll(async () => {
  await boss.stop({ graceful: false });
  push.close();
  await service.close();
});

const system = { actorType: 'system' as const, actorId: 'register', ip: null };
const pushesTo = (id: string) => service.received.filter((r) => r.subscription === id);
async function until(check: () => boolean, ms = 15_000) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

describe('the credential_revoked push', () => {
  it('reaches the app’s registration once, encrypted, with the configuration and “reissue available”; the browser gets the notice’s push alone', async () => {
    const resident = await residentWithSession(db());
    const { clientId } = await issueCredentials(db(), boss, secrets, resident.residentId, {
      keys: 2,
    });
    const link = await db()
      .selectFrom('appLink')
      .select('id')
      .where('residentId', '=', resident.residentId)
      .where('clientId', '=', clientId)
      .executeTakeFirstOrThrow();
    const app = service.subscribe('revoked-app-1');
    const browser = service.subscribe('revoked-browser-1');
    await registerPush(db(), {
      residentId: resident.residentId,
      linkId: link.id,
      body: { channel: 'webpush', endpoint: app.endpoint, keys: app.keys, locale: 'en' },
    });
    await registerPush(db(), {
      residentId: resident.residentId,
      linkId: null,
      body: { channel: 'webpush', endpoint: browser.endpoint, keys: browser.keys, locale: 'ja' },
    });

    const revoke = () =>
      revokeCredentials(
        db(),
        { ...system, onBehalfOfResidentId: resident.residentId },
        { residentId: resident.residentId, credentials: 'all', reason: 'card_reissued' },
        { boss },
      );
    expect((await revoke()).outcome).toBe('revoked');
    await until(() => pushesTo(app.id).length > 0 && pushesTo(browser.id).length > 0);
    // Nothing else comes: a second revocation finds nothing live and sends nothing.
    expect((await revoke()).outcome).toBe('unchanged');
    await new Promise((r) => setTimeout(r, 2_500));
    expect(pushesTo(app.id)).toHaveLength(1);
    expect(pushesTo(browser.id)).toHaveLength(1);

    const request = pushesTo(app.id)[0]!;
    expect(request.headers['topic']).toBe('credential-revoked');
    expect(request.headers['urgency']).toBe('high');
    const keys = { version: 'aes128gcm', privateKey: app.ecdh, authSecret: app.auth } as const;
    const message = JSON.parse(`${decrypt(request.body, keys)}`) as Record<string, unknown>;
    const [notice] = await noticesTo(db(), resident.residentId);
    // Exactly these fields: nothing about the resident (no name, address or credential ids).
    expect(message).toEqual({
      v: 1,
      type: 'credential_revoked',
      credential_configuration_ids: [myNumberCard.configurationId],
      reissue_available: true,
      noticeId: notice!.id,
      lang: 'en',
      title: 'Your card data on your phone was withdrawn',
      body: 'Open the app and get it again: the app can receive the new data now.',
      url: `/en/notices/${notice!.id}`,
    });
    // As the OpenAPI document describes it.
    expect(CredentialRevokedWebPushPayload.safeParse(message).success).toBe(true);
    const { components } = openApiDocument('https://madoguchi.example.jp');
    expect(components.schemas).toHaveProperty('CredentialRevokedWebPushPayload');

    // The browser's one push is the notice's, in its language.
    const toBrowser = pushesTo(browser.id)[0]!;
    expect(toBrowser.headers['topic']).toBe('new-notice');
    const browserKeys = {
      version: 'aes128gcm',
      privateKey: browser.ecdh,
      authSecret: browser.auth,
    } as const;
    const shown = JSON.parse(`${decrypt(toBrowser.body, browserKeys)}`) as Record<string, unknown>;
    expect(shown).toMatchObject({
      type: 'notice',
      noticeId: notice!.id,
      lang: 'ja',
      url: `/ja/notices/${notice!.id}`,
    });

    // Any other notice to the resident still reaches the app as well as the browser.
    await publishNotice(
      db(),
      {
        audience: { type: 'list', residentIds: [resident.residentId] },
        sender: 'municipality',
        titleJa: '窓口の休業',
        bodyJa: '本文',
        titleEn: 'Counter closed',
        bodyEn: 'Body',
        publishAt: new Date(),
        expiresAt: null,
        createdBy: null,
      },
      { boss },
    );
    await until(() => pushesTo(app.id).length > 1 && pushesTo(browser.id).length > 1);
    expect(pushesTo(app.id).map((r) => r.headers['topic'])).toEqual([
      'credential-revoked',
      'new-notice',
    ]);
    expect(pushesTo(browser.id)).toHaveLength(2);
  });
});
