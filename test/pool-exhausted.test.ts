import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createEmptyDatabase } from './database.ts';
import { SESSION_COOKIE } from '../app/identity/session.server.ts';
import {
  ready,
  spawnApp,
  tempFolder,
  timed,
  until,
  type AppProcess,
} from './support/app-process.ts';

/**
 * Issue 14, "Surviving faults": every pool connection held by a slow query (decision 0064).
 * The test locks the table the API's token lookup reads, so two API requests hold the app's
 * two connections; the next request must get 503 within the acquire deadline, and the health
 * endpoints must still answer.
 */
let app: AppProcess | undefined;
let locker: postgres.Sql | undefined;

afterAll(async () => {
  app?.child.kill('SIGKILL');
  await app?.exited;
  await locker?.end({ timeout: 1 }).catch(() => {});
});

describe('a connection pool exhausted by slow queries', () => {
  it('answers new requests 503 quickly, health endpoints still answer, and recovers', async () => {
    const url = await createEmptyDatabase('pool_exhausted');
    app = await spawnApp({
      DATABASE_URL: url,
      DB_POOL_MAX: '2',
      MADOGUCHI_ROLE: 'web',
      MADOGUCHI_DATA_DIR: tempFolder('pool'),
    });
    await ready(app);
    const { origin } = app;
    const api = () =>
      timed(`${origin}/api/v1/notices`, {
        headers: { authorization: `Bearer at2.${'B'.repeat(43)}`, 'accept-language': 'ja' },
      });
    expect((await api()).response.status).toBe(401);

    locker = postgres(url, { max: 1, onnotice: () => {} });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const lock = locker.begin(async (tx) => {
      await tx`lock table app_refresh_token in access exclusive mode`;
      locked();
      await released;
    });
    await holding;

    // Two slow requests take both connections…
    const slow = [api(), api()];
    await new Promise((resolve) => setTimeout(resolve, 500));
    // …so the next one waits for a connection no longer than the acquire deadline.
    const starved = await timed(`${origin}/ja/`, {
      headers: { cookie: `${SESSION_COOKIE}=${randomBytes(32).toString('base64url')}` },
    });
    expect(starved.response.status).toBe(503);
    expect(starved.ms).toBeLessThan(5000);
    expect(starved.response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(starved.body).toContain('<h1>');
    const starvedApi = await api();
    expect(starvedApi.response.status).toBe(503);
    expect(JSON.parse(starvedApi.body)).toMatchObject({
      type: 'urn:madoguchi:problem:unavailable',
    });

    const health = await timed(`${origin}/healthz`);
    expect(health.response.status).toBe(200);
    expect(health.ms).toBeLessThan(1000);
    const readiness = await timed(`${origin}/readyz`);
    expect(readiness.ms).toBeLessThan(5000);
    // The database itself answers (its own connection); the pool-bound queue check does not.
    expect(JSON.parse(readiness.body)).toMatchObject({ database: { ok: true } });

    release();
    await lock;
    for (const response of await Promise.all(slow)) expect(response.response.status).toBe(401);
    expect((await api()).response.status).toBe(401);
    await until(async () => (await fetch(`${origin}/readyz`)).ok, 10_000, '/readyz green again');
    expect(app.child.exitCode).toBeNull();
  }, 120_000);
});
