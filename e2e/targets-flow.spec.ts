import { randomInt } from 'node:crypto';
import iconv from 'iconv-lite';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { appDatabase, signInAsNewStaff } from './support/app.ts';
import { moveTargetThrough } from '../test/support/targets.ts';
import { staffWithSession } from '../test/support/routes.ts';

/**
 * One card from the CS terminal's list to the counter, through the staff pages in the order a
 * city works: import (upload → preview → confirm), pre-issuance set-up, the reservation letter,
 * and the hand-over. Booking is the next issue's site: here it is a service call. Keyboard
 * only wherever the clerk acts, with the page check in Japanese and English on the way.
 */
const HEADER = '申請書ID,製造管理番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所';

async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error('never reached by Tab');
}

test('a card-pickup target from the CS list to the hand-over, through the staff pages', async ({
  page,
  checkPage,
}) => {
  test.setTimeout(180_000);
  const { db } = appDatabase();
  const applicationId = `F${randomInt(100_000_000, 1_000_000_000)}`;
  const list = iconv.encode(
    `${HEADER}\r\n${applicationId},MN${applicationId},髙﨑　𠮷子,タカサキ　ヨシコ,S55.12.3,女,2380101,神奈川県三浦市城山町1-1\r\n`.replace(
      '𠮷',
      '吉',
    ),
    'cp932',
  );
  await signInAsNewStaff(page, ['targets:import', 'targets:manage', 'targets:letters']);

  // 1. Import: upload, the job's preview, confirm.
  await page.goto('/ja/admin/targets/import');
  await page.getByLabel('交付対象者一覧の CSV ファイル').setInputFiles({
    name: `${applicationId}.csv`,
    mimeType: 'text/csv',
    buffer: list,
  });
  await tabTo(page, page.getByRole('button', { name: 'アップロードして読み込む' }));
  await page.keyboard.press('Enter');
  const preview = page.getByRole('heading', { name: '取り込む内容の確認' });
  await expect(preview).toBeFocused({ timeout: 30_000 });
  await expect(page.locator('[data-count=new]')).toHaveText('1 件');
  await checkPage({ lang: 'ja' });
  await tabTo(page, page.getByRole('button', { name: 'この内容で確定する' }));
  await page.keyboard.press('Enter');
  const confirmed = page.getByRole('status').filter({ hasText: '取り込みを確定しました' });
  await expect(confirmed).toBeFocused();
  const importId = page.url().split('/').pop()!;

  const target = await db
    .selectFrom('pickupTarget')
    .select(['id', 'municipalityCode', 'state', 'name'])
    .where('applicationId', '=', applicationId)
    .executeTakeFirstOrThrow();
  expect(target).toMatchObject({ state: 'imported', name: '髙﨑　吉子' });

  // 2. Pre-issuance set-up, on the target's page.
  await page.goto(`/ja/admin/targets/${target.id}`);
  await tabTo(page, page.getByRole('button', { name: '交付前設定を完了にする' }));
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('status').filter({ hasText: '「交付前設定済み」に変更しました' }),
  ).toBeFocused();

  // 3. The letter for this import's targets: counted, then printed.
  await page.goto(`/ja/admin/targets/letters?by=import&importId=${importId}`);
  const batch = page.getByTestId('batch-preview');
  await expect(batch).toContainText('1 通の通知書を印刷します。');
  await checkPage({ lang: 'ja' });
  await tabTo(page, page.getByRole('button', { name: '1 通を印刷する' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/ja\/admin\/targets\/letters\/[0-9a-f-]{36}\/print$/);
  const letter = page.getByRole('article', { name: 'マイナンバーカード受け取り予約のご案内' });
  await expect(letter).toHaveCount(1);
  await expect(letter).toContainText('髙﨑　吉子');
  const printed = await db
    .selectFrom('pickupTarget')
    .select(['state', 'reservationId'])
    .where('id', '=', target.id)
    .executeTakeFirstOrThrow();
  expect(printed.state).toBe('letter_printed');
  const code = await letter.locator('[data-letter-code]').getAttribute('data-letter-code');
  expect(code?.replace(/-/g, '')).toBe(printed.reservationId);

  // 4. Booked on the booking site (the next issue), then handed over at the counter.
  const booking = await staffWithSession(db, ['targets:manage']);
  await moveTargetThrough(db, booking.accountId, target.id, ['booked'], target.municipalityCode);
  await page.goto(`/en/admin/targets/${target.id}`);
  await expect(page.getByRole('heading', { name: 'Hand over the card' })).toBeVisible();
  await checkPage({ lang: 'en' });
  await page.goto(`/ja/admin/targets/${target.id}`);
  await page.getByRole('checkbox', { name: '運転免許証' }).focus();
  await page.keyboard.press('Space');
  await tabTo(page, page.getByRole('radio', { name: '一致', exact: true }));
  await page.keyboard.press('Space');
  for (const step of ['利用者証明用電子証明書', '署名用電子証明書', '暗証番号の設定']) {
    await tabTo(page, page.getByRole('checkbox', { name: step }));
    await page.keyboard.press('Space');
  }
  await tabTo(page, page.getByRole('button', { name: '交付を記録する' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: '交付を記録しました。' })).toBeFocused();
  await checkPage({ lang: 'ja' });
  const issued = await db
    .selectFrom('pickupTarget')
    .select('state')
    .where('id', '=', target.id)
    .executeTakeFirstOrThrow();
  expect(issued.state).toBe('issued');

  // The audit log tells this target's story: each move and the hand-over, by whom and when.
  const entries = await db
    .selectFrom('auditLog')
    .select(['action', 'details'])
    .where('targetId', '=', target.id)
    .where('action', 'in', ['targets.transition', 'targets.handover'])
    .orderBy('occurredAt')
    .execute();
  expect(entries.map((e) => e.action)).toEqual([
    'targets.transition',
    'targets.transition',
    'targets.handover',
  ]);
  const batches = await db
    .selectFrom('auditLog')
    .select('details')
    .where('action', '=', 'targets.letters_print')
    .where('occurredAt', '>', new Date(Date.now() - 10 * 60_000))
    .execute();
  expect(JSON.stringify(batches.map((b) => b.details))).toContain(target.id);
});
