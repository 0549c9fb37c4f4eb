import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgBoss } from 'pg-boss';
import { useTestDatabase } from '../../test/database.ts';
import { startPushService, type PushService } from '../../test/support/push-service.ts';
import {
  apiContext,
  apiRequest,
  call,
  createClient,
  createResident,
  linkDevice,
  refresh,
  testSecrets,
  type Tokens,
} from '../../test/support/app-api.ts';
import { startBoss } from '../../jobs/boss.ts';
import { createLogger } from '../platform/logger.server.ts';
import { publishNotice } from '../notices/notice.service.server.ts';
import { parsePushConfig } from '../push/config.server.ts';
import { createPushRuntime, type PushRuntime } from '../push/runtime.server.ts';
import { planCampaign } from '../push/campaign.service.server.ts';
import { pushBatchQueue } from '../push/push.queues.ts';
import { runBatch } from '../push/fanout.server.ts';
import * as linkRoute from '../routes/api.v1.link.ts';
import * as registrationsRoute from '../routes/api.v1.push-registrations.ts';
import * as ssoRoute from '../routes/api.v1.sso.ts';
import { consumeSsoTicket } from './sso.service.server.ts';
import { endLink } from './link.service.server.ts';
import { setClientDisabled } from './client.service.server.ts';

const database = useTestDatabase();
const log = createLogger('silent');
const db = () => database.connection.db;
const secrets = testSecrets();
const staffActor = {
  actorType: 'staff' as const,
  actorId: 'staff-test',
  onBehalfOfResidentId: null,
  ip: null,
};

let service: PushService;
let boss: PgBoss;
let push: PushRuntime;

beforeAll(async () => {
  service = await startPushService({ keep: true });
  boss = await startBoss(database.connection.sql, log, { supervise: false });
  if (!(await boss.getQueue(pushBatchQueue.name))) await boss.createQueue(pushBatchQueue.name);
  push = createPushRuntime({
    config: {
      ...parsePushConfig({ PUSH_QUIET_HOURS: 'off', PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true' }),
      extraCa: service.ca,
    },
    secrets,
  });
});
afterAll(async () => {
  push.close();
  await boss.stop({ graceful: false });
  await service.close();
});

/** The device registers its push subscription through the API, as the app does. */
async function registerDevice(tokens: Tokens, id: string) {
  const subscription = service.subscribe(id);
  const response = await call(
    registrationsRoute.action,
    apiRequest('/api/v1/push-registrations', {
      token: tokens.access_token,
      json: { channel: 'webpush', endpoint: subscription.endpoint, keys: subscription.keys },
    }),
    apiContext(db(), secrets),
  );
  expect(response.status).toBe(201);
  return { subscription, id: ((await response.json()) as { id: string }).id };
}

async function plannedNotice(residentId: string, title: string) {
  const notice = await publishNotice(db(), {
    audience: { type: 'list', residentIds: [residentId] },
    sender: 'operator',
    titleJa: title,
    bodyJa: '本文',
    titleEn: null,
    bodyEn: null,
    publishAt: new Date(Date.now() - 60_000),
    expiresAt: null,
    createdBy: null,
  });
  const planned = await planCampaign(db(), boss, notice.id, {
    now: new Date(),
    windowHours: 0,
    quiet: null,
    batchSize: 50,
  });
  expect(planned?.batches).toBe(1);
  return planned!.campaignId;
}

const pushesTo = (id: string) => service.received.filter((r) => r.subscription === id);

type Ending = (ctx: {
  residentId: string;
  clientId: string;
  tokens: Tokens;
}) => Promise<Tokens | null>;

const endings: [string, Ending][] = [
  [
    'the device is replaced by a new link of the same client',
    async ({ residentId, clientId }) => linkDevice(db(), secrets, clientId, residentId, 'new'),
  ],
  [
    'a used refresh token comes back and revokes the family',
    async ({ clientId, tokens }) => {
      expect((await refresh(db(), secrets, clientId, tokens.refresh_token)).status).toBe(200);
      expect((await refresh(db(), secrets, clientId, tokens.refresh_token)).status).toBe(400);
      return null;
    },
  ],
  [
    'staff disable the client',
    async ({ clientId }) => {
      expect(await setClientDisabled(db(), staffActor, clientId, true)).toBe(true);
      return null;
    },
  ],
  [
    'the app unlinks',
    async ({ tokens }) => {
      const response = await call(
        linkRoute.action,
        apiRequest('/api/v1/link', { method: 'DELETE', token: tokens.access_token }),
        apiContext(db(), secrets),
      );
      expect(response.status).toBe(204);
      return null;
    },
  ],
  [
    'the resident unlinks in the portal',
    async ({ residentId }) => {
      const link = await db()
        .selectFrom('appLink')
        .select('id')
        .where('residentId', '=', residentId)
        .where('endedAt', 'is', null)
        .executeTakeFirstOrThrow();
      expect(await endLink(db(), link.id, 'resident_unlinked')).toBe(true);
      return null;
    },
  ],
];

describe('a push registration ends with its link (Hardening #5)', () => {
  it.each(endings)(
    'when %s, the old registration gets no push: not from a planned batch, not from a running one',
    async (_, end) => {
      const residentId = await createResident(db());
      const clientId = await createClient(db());
      const tokens = await linkDevice(db(), secrets, clientId, residentId, 'old');
      const old = await registerDevice(tokens, `old-${clientId}`);

      // Planned before the link ends: its batch will run after.
      const planned = await plannedNotice(residentId, '計画済み');
      // Running when the link ends: the push service asks it to come back in a second.
      service.script(old.subscription.id, [{ status: 429, headers: { 'Retry-After': '1' } }]);
      const running = await plannedNotice(residentId, '送信中');
      const batch = runBatch({ db: db(), boss, log, push }, running, 0);
      await expect.poll(() => pushesTo(old.subscription.id).length).toBe(1);

      const next = await end({ residentId, clientId, tokens });

      expect(await batch).toBe('done');
      expect(await runBatch({ db: db(), boss, log, push }, planned, 0)).toBe('done');
      expect(pushesTo(old.subscription.id).map((r) => r.status)).toEqual([429]);
      expect(service.counts.get(old.subscription.id)).toBeUndefined();
      const row = await db()
        .selectFrom('pushRegistration')
        .select('deactivatedAt')
        .where('id', '=', old.id)
        .executeTakeFirstOrThrow();
      expect(row.deactivatedAt).not.toBeNull();

      // A device replaced by a new link: the new device's own registration does get pushes.
      if (next) {
        const fresh = await registerDevice(next, `new-${clientId}`);
        expect(
          await runBatch({ db: db(), boss, log, push }, await plannedNotice(residentId, '新'), 0),
        ).toBe('done');
        expect(service.counts.get(fresh.subscription.id)).toBe(1);
        expect(service.counts.get(old.subscription.id)).toBeUndefined();
      }
    },
  );

  it('a registration whose link ended without it being deactivated is still never pushed', async () => {
    const residentId = await createResident(db());
    const clientId = await createClient(db());
    const tokens = await linkDevice(db(), secrets, clientId, residentId);
    const device = await registerDevice(tokens, `stale-${clientId}`);
    // A registration that raced with the end of its link (written just after it).
    await db()
      .updateTable('appLink')
      .set({ endedAt: new Date(), endReason: 'app_unlinked' })
      .where('residentId', '=', residentId)
      .execute();
    const campaign = await plannedNotice(residentId, '競合');
    expect(await runBatch({ db: db(), boss, log, push }, campaign, 0)).toBe('done');
    expect(pushesTo(device.subscription.id)).toEqual([]);
  });
});

describe('a portal sign-in ticket ends with its link too', () => {
  it('a ticket asked for before the link ended no longer signs the resident in', async () => {
    const residentId = await createResident(db());
    const clientId = await createClient(db());
    const tokens = await linkDevice(db(), secrets, clientId, residentId);
    const ticket = async () => {
      const response = await call(
        ssoRoute.action,
        apiRequest('/api/v1/sso', { token: tokens.access_token, json: { path: '/ja/notices' } }),
        apiContext(db(), secrets),
      );
      expect(response.status).toBe(201);
      const { url } = (await response.json()) as { url: string };
      return new URL(url).searchParams.get('ticket')!;
    };
    const used = await ticket();
    expect(await consumeSsoTicket(db(), used, null)).toMatchObject({ outcome: 'ok', residentId });
    const pending = await ticket();
    await call(
      linkRoute.action,
      apiRequest('/api/v1/link', { method: 'DELETE', token: tokens.access_token }),
      apiContext(db(), secrets),
    );
    expect(await consumeSsoTicket(db(), pending, null)).toEqual({ outcome: 'expired' });
  });
});

describe('one link per resident and client (Hardening #6)', () => {
  it('linking client B keeps client A’s link; a second link of client A replaces the first', async () => {
    const residentId = await createResident(db());
    const [clientA, clientB] = [await createClient(db(), 'a'), await createClient(db(), 'b')];
    const me = (token: string) =>
      call(linkRoute.loader, apiRequest('/api/v1/link', { token }), apiContext(db(), secrets));

    const a1 = await linkDevice(db(), secrets, clientA, residentId, 'A phone');
    const a1Device = await registerDevice(a1, `a1-${clientA}`);
    const b = await linkDevice(db(), secrets, clientB, residentId, 'B phone');
    expect((await me(a1.access_token)).status).toBe(200);
    expect((await me(b.access_token)).status).toBe(200);
    expect((await refresh(db(), secrets, clientA, a1.refresh_token)).status).toBe(200);

    const a2 = await linkDevice(db(), secrets, clientA, residentId, 'A tablet');
    const replaced = await me(a1.access_token);
    expect(replaced.status).toBe(401);
    expect(((await replaced.json()) as { type: string }).type).toBe(
      'urn:madoguchi:problem:device-replaced',
    );
    expect((await me(a2.access_token)).status).toBe(200);
    expect((await me(b.access_token)).status).toBe(200);
    const live = await db()
      .selectFrom('appLink')
      .select(['clientId', 'deviceName'])
      .where('residentId', '=', residentId)
      .where('endedAt', 'is', null)
      .orderBy('clientId')
      .execute();
    expect(live).toEqual([
      { clientId: clientA, deviceName: 'A tablet' },
      { clientId: clientB, deviceName: 'B phone' },
    ]);
    const registration = await db()
      .selectFrom('pushRegistration')
      .select('deactivatedAt')
      .where('id', '=', a1Device.id)
      .executeTakeFirstOrThrow();
    expect(registration.deactivatedAt).not.toBeNull();
  });
});
