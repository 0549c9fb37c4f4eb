import { z } from 'zod';
import type { PgBoss } from 'pg-boss';
import { test, expect } from './fixtures.ts';
import { appDatabase, signInAsNewStaff } from './support/app.ts';
import { makeDueReports } from '../app/operations/operations-report.service.server.ts';
import { press } from './support/keyboard.ts';
import { startBoss } from '../jobs/boss.ts';
import { createQueue, handleQueue } from '../jobs/queue.ts';
import { startWorkers } from '../jobs/worker.ts';
import { defineQueue, enqueue } from '../jobs/enqueue.ts';
import { createLogger } from '../app/platform/logger.server.ts';
import { alertRules, selectedMetrics } from '../test/support/alert-rules.ts';

/**
 * The operations page (decision 0063) on the running app, in Japanese and English, and the
 * retry of a dead letter by keyboard; /metrics as Prometheus reads it.
 */
const queue = defineQueue({
  name: `e2e.operations-${Date.now()}`,
  payload: z.object({ marker: z.string() }),
  options: { retryLimit: 0 },
  batchSize: 1,
  localConcurrency: 1,
});

/** A job that fails its only try: worked here, in the test's own pg-boss, then stopped. */
async function deadLetter(): Promise<void> {
  const { connection } = appDatabase();
  const log = createLogger('silent');
  const boss: PgBoss = await startBoss(connection.sql, log, { supervise: false });
  try {
    await createQueue(boss, queue);
    let failed = false;
    const handler = handleQueue(queue, async () => {
      failed = true;
      throw new Error('the printer service is down (e2e)');
    });
    await startWorkers(boss, [handler], log);
    await connection.db.transaction().execute((trx) => enqueue(boss, trx, queue, { marker: 'x' }));
    await expect.poll(() => failed, { timeout: 15_000 }).toBe(true);
  } finally {
    await boss.stop({ graceful: true, timeout: 5000 });
  }
}

test.describe('staff: the operations page', () => {
  test.use({ locale: 'ja-JP' });

  test('shows the service, backups and queues; a dead letter is retried by keyboard', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(120_000);
    await deadLetter();
    await signInAsNewStaff(page, ['operations:read', 'operations:manage']);
    await page.getByRole('link', { name: '運用状況', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('運用状況');
    await expect(page.getByRole('heading', { name: 'バックアップ' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'キューごとのジョブ数' })).toBeVisible();
    const row = page
      .getByRole('table', { name: 'デッドレターキューで待っているジョブ' })
      .getByRole('row')
      .filter({ hasText: queue.name });
    await expect(async () => {
      await page.reload();
      await expect(row).toContainText('the printer service is down (e2e)', { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await checkPage({ lang: 'ja' });

    await page.goto('/en/admin/operations');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Operations');
    await expect(page.getByRole('table', { name: 'Jobs per queue' })).toBeVisible();
    await checkPage({ lang: 'en' });

    await page.waitForLoadState('networkidle');
    const retry = page.getByRole('button', { name: new RegExp(`^Retry job .* of ${queue.name}$`) });
    await press(page, retry);
    const notice = page.getByRole('status').filter({ hasText: 'The job was sent to' });
    await expect(notice).toHaveText(`The job was sent to ${queue.name} again.`);
    // The button is gone with its row: the notice takes the focus.
    await expect(notice).toBeFocused();
    await expect(retry).toHaveCount(0);
    await checkPage({ lang: 'en' });
  });

  test('the daily reports: reached from the operations page, read as a table in ja and en', async ({
    page,
    checkPage,
  }) => {
    // Last night's job, as the worker runs it at 00:20: yesterday's report (the requests this
    // run's other tests made today are tomorrow's).
    await makeDueReports(appDatabase().connection.db);
    await signInAsNewStaff(page, ['operations:read']);
    await page.goto('/ja/admin/operations');
    await page.getByRole('link', { name: '日次・週次レポート' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('運用レポート');
    const daily = page.getByRole('table', { name: '日次レポート（直近 14 日）' });
    await expect(daily.getByRole('columnheader', { name: 'サーバーエラー（5xx）' })).toBeVisible();
    await expect(daily.getByRole('row')).not.toHaveCount(1);
    await checkPage({ lang: 'ja' });
    await page.goto('/en/admin/operations/reports');
    await expect(page.getByRole('table', { name: 'Daily reports (last 14 days)' })).toBeVisible();
    await checkPage({ lang: 'en' });
  });

  test('staff without the permission get no operations page', async ({ page }) => {
    await signInAsNewStaff(page, ['mail:read']);
    await expect(page.getByRole('link', { name: '運用状況' })).toHaveCount(0);
    const response = await page.goto('/ja/admin/operations');
    expect(response?.status()).toBe(403);
    expect((await page.goto('/ja/admin/operations/reports'))?.status()).toBe(403);
  });
});

test('/metrics has request durations by route pattern and every metric the alert rules use', async ({
  request,
}) => {
  const id = '3f2a9c1e-0b7d-4c5e-8a9f-1b2c3d4e5f60';
  await request.get(`/ja/admin/targets/${id}`, { maxRedirects: 0 });
  await request.get('/ja');
  const response = await request.get('/metrics');
  expect(response.status()).toBe(200);
  const text = await response.text();
  expect(text).toMatch(
    /^madoguchi_http_request_duration_seconds_bucket\{le="1",route="\/:lang\/admin\/targets\/:targetId",method="GET",status_class="3xx"\} [1-9]/m,
  );
  expect(text).toMatch(
    /^madoguchi_http_request_duration_seconds_count\{route="\/:lang",method="GET",status_class="2xx"\} [1-9]/m,
  );
  expect(text).not.toContain(id);
  const routes = [...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]!);
  for (const route of routes) expect(route).toMatch(/^(\/[\w:.*-]*)+$|^(static|unmatched)$/);
  expect(text).toMatch(/^madoguchi_nodejs_eventloop_lag_p99_seconds \S+$/m);
  expect(text).toMatch(/^madoguchi_db_pool_max_connections \d+$/m);
  expect(text).toMatch(/^madoguchi_db_connections\{state="active"\} [1-9]/m);
  expect(text).toMatch(/^madoguchi_backup_last_success_age_seconds \S+$/m);

  // Every metric family the text declares (a counter not yet counted has no sample yet).
  const exported = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    exported.add(name!);
    if (type === 'histogram')
      for (const part of ['_bucket', '_sum', '_count']) exported.add(name + part);
  }
  for (const rule of alertRules().groups.flatMap((g) => g.rules)) {
    const { names, errors } = selectedMetrics(rule.expr);
    expect(errors, rule.alert).toBe(0);
    for (const name of names) expect(exported, `${rule.alert} uses ${name}`).toContain(name);
  }
});
