import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { identityCleanupQueue } from '../app/identity/identity.queues.ts';
import { SESSION_COOKIE } from '../app/identity/session.server.ts';
import { ready, timed, until } from './support/app-process.ts';
import { useFaultRig } from './support/fault-rig.ts';

/**
 * Issue 14, "Surviving faults": PostgreSQL restarted under a running app (decision 0064).
 * The app (`node server.ts`, a real process) runs on a cluster this test owns, so the test
 * can stop and start it like an operator or a crash would.
 */
const rig = useFaultRig();

describe('PostgreSQL restarted while requests and jobs run', () => {
  it('fails fast with 503 during the gap, then reconnects; no job lost, nothing half-written', async () => {
    const cluster = await rig.cluster('restart');
    const app = await rig.app({ DATABASE_URL: cluster.url });
    await ready(app);
    const { origin } = app;
    const page = () =>
      timed(`${origin}/ja/`, {
        headers: { cookie: `${SESSION_COOKIE}=${randomBytes(32).toString('base64url')}` },
      });
    const api = () =>
      timed(`${origin}/api/v1/notices`, {
        // Well-formed but unknown: the API looks it up in the database, then answers 401.
        headers: { authorization: `Bearer at2.${'A'.repeat(43)}`, 'accept-language': 'en' },
      });
    expect((await page()).response.status).toBe(200);
    expect((await api()).response.status).toBe(401);

    // A job sent before the restart, due only after it has begun.
    let admin = rig.client(cluster.url);
    let boss = await rig.boss(admin);
    const jobId = await boss.send(identityCleanupQueue.name, {}, { startAfter: 6 });
    expect(jobId).toBeTruthy();
    await boss.stop({ graceful: false });

    // A transaction cut in the middle: its row was written but never committed.
    const title = `cut-${randomBytes(4).toString('hex')}`;
    const cutter = rig.client(cluster.url, 1);
    const cut = cutter
      .begin(async (tx) => {
        await tx`insert into notice (kind, audience, sender, title_ja, body_ja, publish_at)
                 values ('broadcast', 'all', 'operator', ${title}, 'body', now())`;
        await tx`select pg_sleep(60)`;
      })
      .then(
        () => 'committed',
        () => 'cut',
      );
    await until(
      async () =>
        (
          await admin`select 1 from pg_stat_activity where query like '%pg_sleep(60)%' and pid <> pg_backend_pid()`
        ).length > 0,
      10_000,
      'the open transaction',
    );

    await admin.end();
    await cluster.stop();
    const stoppedAt = Date.now();
    expect(await cut).toBe('cut');
    await cutter.end({ timeout: 1 });

    // The gap: pages, the API and readiness answer at once; liveness stays green.
    const during = await page();
    expect(during.response.status).toBe(503);
    expect(during.ms).toBeLessThan(5000);
    expect(during.response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(during.response.headers.get('content-type')).toMatch(/text\/html/);
    expect(during.body).toContain('一時的');
    expect(during.body).not.toMatch(/ECONNREFUSED|postgres|at \w+ \(/i);
    const apiDuring = await api();
    expect(apiDuring.response.status).toBe(503);
    expect(apiDuring.ms).toBeLessThan(5000);
    expect(apiDuring.response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(apiDuring.response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(JSON.parse(apiDuring.body)).toMatchObject({
      type: 'urn:madoguchi:problem:unavailable',
      status: 503,
    });
    const readyDuring = await timed(`${origin}/readyz`);
    expect(readyDuring.response.status).toBe(503);
    expect(readyDuring.ms).toBeLessThan(5000);
    expect((await timed(`${origin}/healthz`)).response.status).toBe(200);

    await cluster.start();
    await until(
      async () => (await fetch(`${origin}/readyz`)).ok,
      30_000,
      '/readyz green again',
    ).catch(async (error: Error) => {
      const last = await timed(`${origin}/readyz`).catch((e: Error) => ({ body: e.message }));
      throw new Error(`${error.message}: ${last.body}\n${app.output().slice(-3000)}`);
    });
    console.info(`restart test: ready again ${Date.now() - stoppedAt} ms after the stop`);
    expect((await page()).response.status).toBe(200);
    expect((await api()).response.status).toBe(401);

    admin = rig.client(cluster.url);
    boss = await rig.boss(admin);
    await until(
      async () => (await boss.getJobById(identityCleanupQueue.name, jobId!))?.state === 'completed',
      60_000,
      'the job sent before the restart to complete',
    );
    expect(await admin`select 1 from notice where title_ja = ${title}`).toHaveLength(0);
    expect(app.child.exitCode).toBeNull();
  }, 150_000);
});
