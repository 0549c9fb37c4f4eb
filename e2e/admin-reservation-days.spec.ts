import { test, expect } from './fixtures.ts';
import { appDatabase, signInAsNewStaff } from './support/app.ts';
import { staffWithSession } from '../test/support/routes.ts';
import { giveCredentials, insertTargets } from '../test/support/targets.ts';
import { futureWorkingMorning, insertFacility, insertSlot } from '../test/support/reservations.ts';
import { tokyoDate } from '../app/i18n/dates.ts';

/**
 * The counter's day list of bookings (issue 12, issue 11 "Day lists"): a clerk books a caller
 * by reservation ID, sees them on the day list, prints it (only the list goes on paper),
 * cancels with a reason, and every page passes the page check in Japanese and English.
 */
test.describe('staff: the day list of bookings', () => {
  test.use({ locale: 'ja-JP' });

  test('book by phone, the day list, print, cancel; month view', async ({ page, checkPage }) => {
    test.setTimeout(120_000);
    const { db, secrets } = appDatabase();
    const setter = await staffWithSession(db, ['targets:letters']);
    const facilityId = await insertFacility(db, '142107', { name: `三浦市役所 ${Date.now()}` });
    const morning = futureWorkingMorning(12);
    const day = tokyoDate(morning);
    await insertSlot(db, '142107', facilityId, { startsAt: morning, capacity: 3 });
    const [target] = await insertTargets(db, { city: '142107', count: 1, state: 'letter_printed' });
    const reservationId = await giveCredentials(db, secrets, setter.accountId, target!);
    await signInAsNewStaff(page, ['reservations:manage', 'targets:manage']);

    const dayList = `/ja/admin/reservations/days?date=${day}&facility=${facilityId}`;
    await page.goto(dayList);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('の予約');
    await expect(page.getByText('予約はありません。')).toBeVisible();
    await checkPage({ lang: 'ja' });

    // A wrong reservation ID: the answer next to the field and in the summary.
    const form = page.getByRole('region', { name: '電話で予約を受ける' });
    await form.getByLabel('予約 ID').fill('123-456-7897');
    await form.getByLabel('メールアドレス').fill('taro@example.jp');
    await form.getByLabel('電話番号').fill('046-882-1111');
    await form.getByRole('button', { name: '予約する' }).click();
    await expect(page.getByRole('alert')).toContainText('予約 ID の対象者が見つかりません');

    // The caller reads the ID with hyphens; they need a wheelchair space.
    await form
      .getByLabel('予約 ID')
      .fill(`${reservationId.slice(0, 3)}-${reservationId.slice(3, 6)}-${reservationId.slice(6)}`);
    await form.getByLabel('車いすスペース').check();
    await form.getByRole('button', { name: '予約する' }).click();
    await expect(page.getByRole('status').getByText('予約しました。')).toBeVisible();
    const slot = page.getByRole('region', { name: /10:00〜11:00/ });
    await expect(slot.getByRole('rowheader', { name: '髙﨑 𠮷子0' })).toBeVisible();
    await expect(slot).toContainText('車いすスペース');
    await expect(page.getByRole('heading', { name: /10:00〜11:00/ })).toContainText(
      '3 人分のうち 1 人分が予約済み',
    );
    await expect(slot.getByRole('checkbox', { name: '髙﨑 𠮷子0 来庁' })).toBeVisible();
    await checkPage({ lang: 'ja' });

    // On paper: the list with its tick boxes, not the menu, the forms or the links.
    await page.emulateMedia({ media: 'print' });
    await expect(slot.getByRole('checkbox', { name: '髙﨑 𠮷子0 来庁' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: '職員用メニュー' })).toBeHidden();
    await expect(page.getByRole('button', { name: '予約する' })).toBeHidden();
    await expect(page.getByRole('link', { name: /交付を記録/ })).toBeHidden();
    await page.emulateMedia({ media: 'screen' });

    // The hand-over link opens the target's page, which leads back to the list.
    await page.getByRole('link', { name: /交付を記録/ }).click();
    await expect(page.getByRole('heading', { name: 'カードの交付' })).toBeVisible();
    await page.getByRole('link', { name: '前のページに戻る' }).click();
    await expect(page).toHaveURL(dayList);

    // Cancel on the caller's request, with a reason.
    await page.getByRole('link', { name: /変更・取消/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('予約の変更・取消');
    await checkPage({ lang: 'ja' });
    await page.getByRole('button', { name: '予約を取り消す' }).click();
    await expect(page.getByRole('alert')).toContainText('理由を入力してください');
    await page.getByLabel('理由').fill('来月来庁するとのこと');
    await page.getByRole('button', { name: '予約を取り消す' }).click();
    await expect(page.getByRole('status').getByText('予約を取り消しました。')).toBeVisible();
    await expect(page.getByText('予約はありません。')).toBeVisible();

    // The same pages in English, and the month view.
    await page.goto(`/en/admin/reservations/days?date=${day}&facility=${facilityId}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Bookings on');
    await checkPage({ lang: 'en' });
    await page.goto(`/en/admin/reservations/month?month=${day.slice(0, 7)}&facility=${facilityId}`);
    const table = page.getByRole('table', { name: /Bookings per day/ });
    await expect(table.getByRole('columnheader', { name: 'Places taken' })).toBeVisible();
    await checkPage({ lang: 'en' });
    await page.goto(`/ja/admin/reservations/month?month=${day.slice(0, 7)}&facility=${facilityId}`);
    await checkPage({ lang: 'ja' });
  });
});
