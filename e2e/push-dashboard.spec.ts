import { test, expect } from './fixtures.ts';
import { appDatabase, signInAsNewStaff } from './support/app.ts';
import { publishNotice } from '../app/notices/notice.service.server.ts';

/**
 * A fan-out in the middle of its week: 4,000 devices, 1,500 handled, its remaining batches
 * due days from now (so that nothing is sent while the test looks at it).
 */
async function fanoutInProgress(title: string) {
  const { db } = appDatabase();
  const notice = await publishNotice(db, {
    audience: { type: 'municipality', municipalityCode: '999999' },
    sender: 'operator',
    titleJa: title,
    bodyJa: '本文',
    titleEn: `Push test ${title.replace(/\D/g, '')}`,
    bodyEn: 'Body',
    publishAt: new Date(Date.now() - 3600_000),
    expiresAt: null,
    createdBy: null,
  });
  const start = new Date(Date.now() - 3600_000);
  const campaign = await db
    .insertInto('pushCampaign')
    .values({
      noticeId: notice.id,
      scope: 'broadcast',
      windowStart: start,
      windowEnd: new Date(start.getTime() + 7 * 86_400_000),
      quietStart: 1260,
      quietEnd: 480,
      devices: 4000,
      batches: 4,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const bound = (i: number) => `${i.toString(16).padStart(8, '0')}-0000-0000-0000-000000000000`;
  await db
    .insertInto('pushBatch')
    .values(
      [0, 1, 2, 3].map((seq) => ({
        campaignId: campaign.id,
        seq,
        lo: bound(seq * 0x40000000),
        hi: seq === 3 ? 'ffffffff-ffff-ffff-ffff-ffffffffffff' : bound((seq + 1) * 0x40000000),
        cursor: bound(seq * 0x40000000),
        dueAt: new Date(Date.now() + (seq + 2) * 86_400_000),
      })),
    )
    .execute();
  await db
    .updateTable('pushBatch')
    .set({ state: 'done', doneAt: new Date(), sent: 1480, failed: 5, deactivated: 15 })
    .where('campaignId', '=', campaign.id)
    .where('seq', '=', 0)
    .execute();
  return { noticeId: notice.id, campaignId: campaign.id };
}

test.describe('push fan-outs on the delivery dashboard', () => {
  test('progress in words and as a bar; pause, resume, cancel with a confirmation', async ({
    page,
    checkPage,
  }) => {
    const title = `プッシュ配信テスト ${Date.now()}`;
    const { campaignId } = await fanoutInProgress(title);
    await signInAsNewStaff(page, ['delivery:read', 'notices:write']);
    await page.goto('/ja/admin/delivery');
    const fanout = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: title }) });
    await expect(fanout).toContainText('配信中');
    const bar = fanout.getByRole('progressbar', { name: '進み具合' });
    await expect(bar).toHaveAttribute('value', '37.5');
    await expect(bar).toHaveAttribute('aria-valuetext', '37.5%済み、残り2,500台');
    await expect(fanout.getByRole('definition')).toContainText([
      '4,000',
      '1,480',
      '5',
      '15',
      '2,500',
    ]);
    await checkPage({ lang: 'ja' });

    await fanout.getByRole('button', { name: '一時停止する' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: '配信を一時停止しました。' }),
    ).toBeVisible();
    await expect(fanout).toContainText('一時停止中');
    const { db } = appDatabase();
    const state = async () =>
      (
        await db
          .selectFrom('pushCampaign')
          .select('state')
          .where('id', '=', campaignId)
          .executeTakeFirstOrThrow()
      ).state;
    expect(await state()).toBe('paused');

    await fanout.getByRole('button', { name: '再開する' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: '配信を再開しました。' }),
    ).toBeVisible();
    expect(await state()).toBe('running');

    // Cancelling asks first, with focus on the question; "keep sending" changes nothing.
    await fanout.getByRole('link', { name: '中止する…' }).click();
    await expect(page.getByRole('heading', { name: 'この配信を中止しますか' })).toBeFocused();
    await page.getByRole('link', { name: '中止しない' }).click();
    expect(await state()).toBe('running');
    await fanout.getByRole('link', { name: '中止する…' }).click();
    await page.getByRole('button', { name: '配信を中止する' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: '配信を中止しました。' }),
    ).toBeVisible();
    await expect(fanout).toContainText('中止');
    expect(await state()).toBe('cancelled');
    await expect(fanout.getByRole('button')).toHaveCount(0);
    const remaining = await db
      .selectFrom('pushBatch')
      .select('state')
      .where('campaignId', '=', campaignId)
      .where('state', '=', 'pending')
      .execute();
    expect(remaining).toHaveLength(0);

    await page.goto('/en/admin/delivery');
    await expect(
      page.getByRole('heading', { name: `Push test ${title.replace(/\D/g, '')}` }),
    ).toBeVisible();
    await checkPage({ lang: 'en' });
  });

  test('staff who may only read delivery figures see progress but no controls, and a posted pause is refused', async ({
    page,
  }) => {
    const title = `読むだけ ${Date.now()}`;
    const { campaignId } = await fanoutInProgress(title);
    await signInAsNewStaff(page, ['delivery:read']);
    await page.goto('/ja/admin/delivery');
    const fanout = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: title }) });
    await expect(fanout.getByRole('progressbar')).toBeVisible();
    await expect(fanout.getByRole('button')).toHaveCount(0);
    const response = await page.request.post('/ja/admin/delivery', {
      form: { intent: 'pause', campaignId },
      headers: { Origin: new URL(page.url()).origin },
    });
    expect(response.status()).toBe(403);
  });
});

test('/metrics tells queue depth, sends and failures in the Prometheus format', async ({
  request,
}) => {
  const response = await request.get('/metrics');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/plain');
  const text = await response.text();
  expect(text).toMatch(/^madoguchi_queue_depth\{queue="push\.batch",state="ready"\} \d+$/m);
  expect(text).toMatch(/^madoguchi_push_campaigns\{state="running"\} \d+$/m);
  expect(text).toContain('# TYPE madoguchi_push_sends_total counter');
  expect(text).toContain('# TYPE madoguchi_push_failures_total counter');
});
