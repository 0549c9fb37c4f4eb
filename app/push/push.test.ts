import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decrypt } from 'http_ece';
import type { PgBoss } from 'pg-boss';
import { sql } from 'kysely';
import { useTestDatabase } from '../../test/database.ts';
import { startPushService, type PushService } from '../../test/support/push-service.ts';
import { insertWebPushDevices } from '../../test/support/push-devices.ts';
import { startBoss } from '../../jobs/boss.ts';
import { createLogger } from '../platform/logger.server.ts';
import { loadSecrets } from '../platform/secrets.server.ts';
import { publishNotice } from '../notices/notice.service.server.ts';
import { parsePushConfig } from './config.server.ts';
import { createPushRuntime, type PushRuntime } from './runtime.server.ts';
import {
  campaignProgress,
  cancelCampaign,
  pauseCampaign,
  planCampaign,
  resumeCampaign,
} from './campaign.service.server.ts';
import { pushBatchQueue, pushPlanQueue } from './push.queues.ts';
import { runBatch } from './fanout.server.ts';
import { isQuiet } from './schedule.ts';
import { registerPush } from '../api/push-registration.server.ts';
import { createQueues, startWorkers } from '../../jobs/worker.ts';
import { pushBatchHandler, pushPlanHandler } from '../../jobs/handlers/push.ts';

const database = useTestDatabase();
const log = createLogger('silent');
const db = () => database.connection.db;

let service: PushService;
let boss: PgBoss;
let clock = () => new Date();
let push: PushRuntime;

beforeAll(async () => {
  service = await startPushService({ keep: true });
  boss = await startBoss(database.connection.sql, log, { supervise: false });
  for (const name of [pushBatchQueue.name])
    if (!(await boss.getQueue(name))) await boss.createQueue(name);
  push = createPushRuntime({
    config: {
      ...parsePushConfig({
        PUSH_QUIET_HOURS: 'off',
        PUSH_TTL_SECONDS: '3600',
        PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true',
      }),
      extraCa: service.ca,
      batchSize: 50,
    },
    secrets: loadSecrets(mkdtempSync(join(tmpdir(), 'madoguchi-push-test-'))),
    publicOrigin: 'https://madoguchi.example.jp',
    now: () => clock(),
  });
});
afterAll(async () => {
  push.close();
  await boss.stop({ graceful: false });
  await service.close();
});

const context = () => ({ db: db(), boss, log, push });
const settings = (over: Partial<Parameters<typeof planCampaign>[3]> = {}) => ({
  now: clock(),
  windowHours: 0,
  quiet: null,
  batchSize: 50,
  ...over,
});

async function webDevice(id: string, locale: 'ja' | 'en' = 'ja') {
  const { residentIds } = await insertWebPushDevices(db(), service, 1, {
    prefix: `${id}-`,
    locale,
  });
  const subscription = service.subscribe(`${id}-1`);
  // Give this device keys of its own, so only its private key can read its pushes.
  await db()
    .updateTable('pushRegistration')
    .set({ p256dh: subscription.keys.p256dh, auth: subscription.keys.auth })
    .where('residentId', '=', residentIds[0]!)
    .execute();
  return { residentId: residentIds[0]!, subscription };
}

async function targeted(residentIds: string[], titles: { ja: string | null; en: string | null }) {
  return publishNotice(db(), {
    audience: { type: 'list', residentIds },
    sender: 'operator',
    titleJa: titles.ja,
    bodyJa: titles.ja ? '本文' : null,
    titleEn: titles.en,
    bodyEn: titles.en ? 'Body' : null,
    publishAt: new Date(Date.now() - 60_000),
    expiresAt: null,
    createdBy: null,
  });
}

async function sendAll(campaignId: string, batches: number) {
  const results = [];
  for (let seq = 0; seq < batches; seq++) results.push(await runBatch(context(), campaignId, seq));
  return results;
}

describe('a targeted notice over Web Push', () => {
  it('reaches the device encrypted for it, in its language, with TTL, urgency, topic and a VAPID token', async () => {
    const ja = await webDevice('ja-reader');
    const en = await webDevice('en-reader', 'en');
    const fallback = await webDevice('en-fallback', 'en');
    const both = await targeted([ja.residentId, en.residentId], {
      ja: '転出のお知らせ',
      en: 'About moving out',
    });
    const jaOnly = await targeted([fallback.residentId], { ja: '日本語だけ', en: null });

    for (const notice of [both, jaOnly]) {
      const planned = await planCampaign(db(), boss, notice.id, settings());
      expect(planned?.batches).toBe(1);
      expect(await sendAll(planned!.campaignId, 1)).toEqual(['done']);
      // Planning twice (a retried job) changes nothing.
      expect(await planCampaign(db(), boss, notice.id, settings())).toBeNull();
    }

    const read = (device: Awaited<ReturnType<typeof webDevice>>) => {
      const requests = service.received.filter((r) => r.subscription === device.subscription.id);
      expect(requests).toHaveLength(1);
      const request = requests[0]!;
      const plain = decrypt(request.body, {
        version: 'aes128gcm',
        privateKey: device.subscription.ecdh,
        authSecret: device.subscription.auth,
      });
      return { request, message: JSON.parse(plain.toString('utf8')) as Record<string, string> };
    };

    const jaPush = read(ja);
    expect(jaPush.message).toMatchObject({
      type: 'notice',
      noticeId: both.id,
      lang: 'ja',
      title: '新しいお知らせがあります',
      body: '転出のお知らせ',
      url: `/ja/notices/${both.id}`,
    });
    expect(read(en).message).toMatchObject({
      lang: 'en',
      body: 'About moving out',
      url: `/en/notices/${both.id}`,
    });
    expect(read(fallback).message).toMatchObject({ lang: 'ja', body: '日本語だけ' });

    const headers = jaPush.request.headers;
    expect(headers['ttl']).toBe('3600');
    expect(headers['urgency']).toBe('high');
    expect(headers['topic']).toBe('new-notice');
    expect(headers['content-encoding']).toBe('aes128gcm');
    expect(jaPush.request.body.length).toBeLessThanOrEqual(4096);

    // RFC 8292: "vapid t=<JWT>, k=<public key>", the JWT signed by that key for this origin.
    const match = /^vapid t=([^,]+), k=([A-Za-z0-9_-]+)$/.exec(String(headers['authorization']));
    expect(match).not.toBeNull();
    const [jwt, k] = [match![1]!, match![2]!];
    expect(k).toBe(push.vapid.publicKey);
    const [h, p, s] = jwt.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toMatchObject({ alg: 'ES256' });
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    expect(claims.aud).toBe(service.origin);
    expect(claims.sub).toBe('https://madoguchi.example.jp');
    const exp = Number(claims.exp) * 1000;
    expect(exp).toBeGreaterThan(Date.now());
    expect(exp).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
    const raw = Buffer.from(k, 'base64url');
    const publicKey = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: raw.subarray(1, 33).toString('base64url'),
        y: raw.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
    expect(
      verify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        { key: publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(s, 'base64url'),
      ),
    ).toBe(true);
  });

  it('410 deactivates the registration, 429 then 201 is retried after Retry-After, 400 is a counted failure', async () => {
    const gone = await webDevice('gone');
    const busy = await webDevice('busy');
    const bad = await webDevice('bad');
    service.script(gone.subscription.id, [{ status: 410 }]);
    service.script(busy.subscription.id, [{ status: 429, headers: { 'Retry-After': '1' } }]);
    service.script(bad.subscription.id, [{ status: 400 }]);
    const notice = await targeted([gone.residentId, busy.residentId, bad.residentId], {
      ja: '三人へ',
      en: null,
    });
    const planned = await planCampaign(db(), boss, notice.id, settings());
    const started = Date.now();
    expect(await sendAll(planned!.campaignId, 1)).toEqual(['done']);

    const attempts = (id: string) => service.received.filter((r) => r.subscription === id);
    expect(attempts(busy.subscription.id).map((r) => r.status)).toEqual([429, 201]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // waited as told
    expect(attempts(gone.subscription.id).map((r) => r.status)).toEqual([410]);
    expect(attempts(bad.subscription.id).map((r) => r.status)).toEqual([400]);

    const registration = await db()
      .selectFrom('pushRegistration')
      .select(['residentId', 'deactivatedAt', 'deactivationReason'])
      .where('residentId', 'in', [gone.residentId, busy.residentId, bad.residentId])
      .execute();
    const of = (id: string) => registration.find((r) => r.residentId === id)!;
    expect(of(gone.residentId).deactivationReason).toBe('gone');
    expect(of(busy.residentId).deactivatedAt).toBeNull();
    expect(of(bad.residentId).deactivatedAt).toBeNull();

    const failures = await db()
      .selectFrom('pushFailure')
      .select(['class', 'status'])
      .where('campaignId', '=', planned!.campaignId)
      .execute();
    expect(failures).toEqual([{ class: 'permanent', status: 400 }]);
    const daily = await db()
      .selectFrom('pushDaily')
      .select(['sent', 'failed', 'deactivated'])
      .where('noticeId', '=', notice.id)
      .executeTakeFirstOrThrow();
    expect(daily).toEqual({ sent: '1', failed: '1', deactivated: '1' });
    const [progress] = await campaignProgress(db(), { noticeId: notice.id });
    expect(progress).toMatchObject({
      state: 'done',
      sent: 1,
      failed: 1,
      deactivated: 1,
      remaining: 0,
    });

    // A second notice no longer goes to the deactivated device.
    const next = await targeted([gone.residentId, busy.residentId], { ja: '次', en: null });
    const again = await planCampaign(db(), boss, next.id, settings());
    expect(again?.devices).toBe(1);
  });
});

describe('a broadcast fan-out', () => {
  const at = (iso: string) => new Date(iso);
  async function broadcastTo(municipalityCode: string, devices: number) {
    await insertWebPushDevices(db(), service, devices, {
      prefix: `${municipalityCode}-`,
      municipalityCode,
    });
    return publishNotice(db(), {
      audience: { type: 'municipality', municipalityCode },
      sender: 'operator',
      titleJa: '一斉のお知らせ',
      bodyJa: '本文',
      titleEn: null,
      bodyEn: null,
      publishAt: new Date(Date.now() - 60_000),
      expiresAt: null,
      createdBy: null,
    });
  }
  const counted = (prefix: string) =>
    [...service.counts.entries()].filter(([id]) => id.startsWith(prefix)).map(([, n]) => n);

  it('spreads batches over the window outside quiet hours, and a batch due in quiet hours waits for morning', async () => {
    const notice = await broadcastTo('271004', 230);
    // Published at 23:00 Tokyo time, a 48-hour window, quiet 21:00–08:00.
    clock = () => at('2026-11-22T14:00:00Z');
    const quiet = { start: 21 * 60, end: 8 * 60 };
    const planned = await planCampaign(db(), boss, notice.id, settings({ windowHours: 48, quiet }));
    expect(planned).toMatchObject({ devices: 230, batches: 5 });
    const batches = await db()
      .selectFrom('pushBatch')
      .select(['seq', 'dueAt'])
      .where('campaignId', '=', planned!.campaignId)
      .orderBy('seq')
      .execute();
    const window = [at('2026-11-22T14:00:00Z'), at('2026-11-24T14:00:00Z')] as const;
    for (const b of batches) {
      expect(isQuiet(b.dueAt, quiet)).toBe(false);
      expect(b.dueAt >= window[0] && b.dueAt < window[1]).toBe(true);
    }
    // The first batch waits for 08:00; the rest are spread over both days' 13 allowed hours.
    expect(batches[0]!.dueAt.toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect(new Set(batches.map((b) => b.dueAt.toISOString())).size).toBe(5);

    // A worker that picks a batch up at 23:30 sends nothing and defers it to 08:00.
    clock = () => at('2026-11-22T14:30:00Z');
    expect(await runBatch(context(), planned!.campaignId, 0)).toBe('deferred');
    expect(counted('271004-')).toEqual([]);
    const deferred = await sql<{ startAfter: Date }>`
      select start_after from pgboss.job
      where name = ${pushBatchQueue.name} and data->>'campaignId' = ${planned!.campaignId}
        and (data->>'seq')::int = 0 and state = 'created'
      order by created_on desc limit 1`.execute(db());
    expect(deferred.rows[0]?.startAfter.toISOString()).toBe('2026-11-22T23:00:00.000Z');

    // At 08:05 it runs.
    clock = () => at('2026-11-22T23:05:00Z');
    expect(await sendAll(planned!.campaignId, 5)).toEqual(['done', 'done', 'done', 'done', 'done']);
    const counts = counted('271004-');
    expect(counts).toHaveLength(230);
    expect(counts.every((n) => n === 1)).toBe(true);
    const [progress] = await campaignProgress(db(), { noticeId: notice.id });
    expect(progress).toMatchObject({ state: 'done', sent: 230, remaining: 0, batchesDone: 5 });
    clock = () => new Date();
  });

  it('staff can pause, resume and cancel; a paused batch sends nothing until resumed', async () => {
    const notice = await broadcastTo('011002', 120);
    const planned = await planCampaign(db(), boss, notice.id, settings());
    expect(planned?.batches).toBe(3);
    const id = planned!.campaignId;

    expect(await pauseCampaign(db(), id)).toBe(true);
    expect(await pauseCampaign(db(), id)).toBe(false); // a double click changes nothing
    expect(await runBatch(context(), id, 0)).toBe('paused');
    expect(counted('011002-')).toEqual([]);
    let [progress] = await campaignProgress(db(), { noticeId: notice.id });
    expect(progress).toMatchObject({ state: 'paused', sent: 0, remaining: 120 });

    expect(await resumeCampaign(db(), boss, id, new Date())).toBe(true);
    const requeued = await sql<{ n: string }>`
      select count(*) as n from pgboss.job
      where name = ${pushBatchQueue.name} and data->>'campaignId' = ${id} and state = 'created'`.execute(
      db(),
    );
    expect(Number(requeued.rows[0]!.n)).toBeGreaterThanOrEqual(6); // the original three and three more
    expect(await runBatch(context(), id, 0)).toBe('done');
    expect(await runBatch(context(), id, 0)).toBe('finished-before'); // the duplicate job finds it done
    [progress] = await campaignProgress(db(), { noticeId: notice.id });
    expect(progress!.sent).toBeGreaterThan(0);
    const sentBeforeCancel = progress!.sent;

    expect(await cancelCampaign(db(), id)).toBe(true);
    expect(await cancelCampaign(db(), id)).toBe(false);
    expect(await runBatch(context(), id, 1)).toBe('finished-before');
    [progress] = await campaignProgress(db(), { noticeId: notice.id });
    expect(progress).toMatchObject({ state: 'cancelled', sent: sentBeforeCancel, remaining: 0 });
    expect(progress!.finishedAt).not.toBeNull();
    expect(counted('011002-').reduce((a, b) => a + b, 0)).toBe(sentBeforeCancel);
    expect(await resumeCampaign(db(), boss, id, new Date())).toBe(false);
  });
});

describe('edges', () => {
  it('two batches finishing at the same moment still finish the campaign', async () => {
    for (let round = 0; round < 3; round++) {
      const { residentIds } = await insertWebPushDevices(db(), service, 60, {
        prefix: `race${round}-`,
        municipalityCode: `40${round}000`,
      });
      expect(residentIds.length).toBeGreaterThan(0);
      const notice = await publishNotice(db(), {
        audience: { type: 'municipality', municipalityCode: `40${round}000` },
        sender: 'operator',
        titleJa: '同時に終わる',
        bodyJa: '本文',
        titleEn: null,
        bodyEn: null,
        publishAt: new Date(Date.now() - 60_000),
        expiresAt: null,
        createdBy: null,
      });
      const planned = await planCampaign(db(), boss, notice.id, settings({ batchSize: 20 }));
      expect(planned!.batches).toBe(3);
      await Promise.all([0, 1, 2].map((seq) => runBatch(context(), planned!.campaignId, seq)));
      const [progress] = await campaignProgress(db(), { noticeId: notice.id });
      expect(progress).toMatchObject({ state: 'done', batchesDone: 3 });
    }
  });

  it('a notice is not pushed past its expiry: the window ends there and late batches stop', async () => {
    const reader = await webDevice('expiring');
    const notice = await publishNotice(db(), {
      audience: { type: 'all' },
      sender: 'operator',
      titleJa: 'すぐ終わる',
      bodyJa: '本文',
      titleEn: null,
      bodyEn: null,
      publishAt: new Date(Date.now() - 60_000),
      expiresAt: new Date(Date.now() + 3600_000),
      createdBy: null,
    });
    const planned = await planCampaign(db(), boss, notice.id, settings({ windowHours: 168 }));
    const [campaign] = await campaignProgress(db(), { noticeId: notice.id });
    expect(campaign!.windowEnd.getTime()).toBeLessThanOrEqual(Date.now() + 3600_000);
    clock = () => new Date(Date.now() + 2 * 3600_000);
    try {
      for (let seq = 0; seq < planned!.batches; seq++)
        expect(await runBatch(context(), planned!.campaignId, seq)).toBe('cancelled');
    } finally {
      clock = () => new Date();
    }
    expect(service.counts.get(reader.subscription.id)).toBeUndefined();
  });

  it('a device registering again keeps its registration (and its place in a fan-out)', async () => {
    const { residentIds } = await insertWebPushDevices(db(), service, 1, { prefix: 'again-' });
    const subscription = service.subscribe('again-x');
    const body = {
      channel: 'webpush' as const,
      endpoint: subscription.endpoint,
      keys: subscription.keys,
    };
    const first = await registerPush(db(), { residentId: residentIds[0]!, linkId: null, body });
    const second = await registerPush(db(), {
      residentId: residentIds[0]!,
      linkId: null,
      body: { ...body, locale: 'en' },
    });
    expect(second.id).toBe(first.id);
    const row = await db()
      .selectFrom('pushRegistration')
      .select(['locale', 'deactivatedAt'])
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ locale: 'en', deactivatedAt: null });
  });
});

describe('through the queues', () => {
  it('publishing a notice plans its pushes at its publish time, and the workers deliver them', async () => {
    const reader = await webDevice('queued');
    await createQueues(boss, [pushPlanQueue, pushBatchQueue]);
    const deps = { db: db(), boss, push };
    await startWorkers(boss, [pushPlanHandler(deps), pushBatchHandler(deps)], log);
    const later = await publishNotice(
      db(),
      {
        audience: { type: 'list', residentIds: [reader.residentId] },
        sender: 'operator',
        titleJa: '予約のお知らせ',
        bodyJa: '本文',
        titleEn: null,
        bodyEn: null,
        publishAt: new Date(Date.now() + 3 * 86_400_000),
        expiresAt: null,
        createdBy: null,
      },
      { boss },
    );
    const planJob = await sql<{ startAfter: Date }>`
      select start_after from pgboss.job where name = 'push.plan' and data->>'noticeId' = ${later.id}`.execute(
      db(),
    );
    expect(planJob.rows).toHaveLength(1);
    expect(
      Math.abs(planJob.rows[0]!.startAfter.getTime() - Date.now() - 3 * 86_400_000),
    ).toBeLessThan(5000);

    const now = await publishNotice(
      db(),
      {
        audience: { type: 'list', residentIds: [reader.residentId] },
        sender: 'operator',
        titleJa: 'すぐのお知らせ',
        bodyJa: '本文',
        titleEn: null,
        bodyEn: null,
        publishAt: new Date(),
        expiresAt: null,
        createdBy: null,
      },
      { boss },
    );
    await expect
      .poll(async () => (await campaignProgress(db(), { noticeId: now.id }))[0]?.state, {
        timeout: 20_000,
      })
      .toBe('done');
    expect(service.counts.get(reader.subscription.id)).toBe(1);
    // The scheduled one has not been planned yet.
    expect(await campaignProgress(db(), { noticeId: later.id })).toEqual([]);
  });
});
