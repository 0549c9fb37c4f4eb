import { test, expect } from './fixtures.ts';
import { appDatabase, signInAsNewStaff } from './support/app.ts';
import { staffWithSession } from '../test/support/routes.ts';
import { giveCredentials, insertTargets } from '../test/support/targets.ts';
import { futureWorkingMorning, insertFacility, insertSlot } from '../test/support/reservations.ts';
import { tokyoDate } from '../app/i18n/dates.ts';
import { renewalClerk, renewalWithForm } from '../test/support/renewals.ts';

/**
 * Closing a whole day from the day list (decision 0056): a clerk books a caller who has no
 * email address, then closes the day; the confirm step says what it touches, the message is
 * required, and the day's slots are closed with their bookings cancelled.
 */
test.describe('staff: closing a day', () => {
  test.use({ locale: 'ja-JP' });

  test('a phone booking without email, then the day closed with a message', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(120_000);
    const city = '142107';
    const { db, secrets } = appDatabase();
    const setter = await staffWithSession(db, ['targets:letters']);
    const facilityId = await insertFacility(db, city, { name: `休止テスト ${Date.now()}` });
    const morning = futureWorkingMorning(15);
    const day = tokyoDate(morning);
    await insertSlot(db, city, facilityId, { startsAt: morning, capacity: 3 });
    await insertSlot(db, city, facilityId, {
      startsAt: new Date(morning.getTime() + 3600_000),
      capacity: 3,
    });
    const [target] = await insertTargets(db, { city, count: 1, state: 'letter_printed' });
    const reservationId = await giveCredentials(db, secrets, setter.accountId, target!, city);
    await signInAsNewStaff(page, ['reservations:manage']);

    const dayList = `/ja/admin/reservations/days?date=${day}&facility=${facilityId}`;
    await page.goto(dayList);
    const form = page.getByRole('region', { name: '電話で予約を受ける' });
    await form.getByLabel('予約 ID').fill(reservationId);
    await form.getByLabel('電話番号').fill('046-882-1111');
    await form.getByRole('button', { name: '予約する' }).click();
    await expect(page.getByRole('status').getByText('予約しました。')).toBeVisible();
    await expect(page.getByText('メールなし（電話で伝達）')).toBeVisible();

    await page.getByRole('link', { name: /を休止する…$/ }).click();
    const confirm = page.getByRole('region', { name: /を休止しますか$/ });
    await expect(confirm).toContainText('受付中の 2 枠を休止します。');
    await expect(confirm).toContainText('1 件の予約（1 人）を取り消します。');
    await expect(confirm).toContainText('1 件はメールアドレスがありません。');
    await checkPage({ lang: 'ja' });
    const close = confirm.getByRole('button', { name: 'この日を休止して 1 件の予約を取り消す' });
    await close.click();
    await expect(page.getByRole('alert')).toContainText('予約者へのお知らせを入力してください');
    await confirm.getByLabel('予約者へのお知らせ').fill('停電のため終日休止します');
    await close.click();
    await expect(page.getByRole('status').getByText('この日を休止しました。')).toBeVisible();
    await expect(page.getByRole('heading', { name: /（受付停止）$/ })).toHaveCount(2);
    await expect(page.getByText('予約はありません。')).toHaveCount(2);
    await expect(page.getByRole('link', { name: /を休止する…$/ })).toHaveCount(0);

    // The confirm step in English, on another day with open slots.
    const nextMorning = futureWorkingMorning(1, morning);
    const next = tokyoDate(nextMorning);
    await insertSlot(db, city, facilityId, { startsAt: nextMorning, capacity: 3 });
    await page.goto(
      `/en/admin/reservations/days?date=${next}&facility=${facilityId}&close=confirm`,
    );
    await expect(page.getByRole('region', { name: /^Close .*\?$/ })).toContainText(
      '1 open slot will be closed.',
    );
    await checkPage({ lang: 'en' });
  });

  test('an e-certificate renewal booked by phone with the form’s ID, then marked renewed', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(120_000);
    const city = '142107';
    const { db, secrets } = appDatabase();
    const setter = await renewalClerk(db, ['renewals:manage']);
    const person = await renewalWithForm(db, secrets, setter.actor, city);
    const facilityId = await insertFacility(db, city, { name: `更新テスト ${Date.now()}` });
    const morning = futureWorkingMorning(16);
    await insertSlot(db, city, facilityId, { startsAt: morning, capacity: 3 });
    await signInAsNewStaff(page, ['reservations:manage', 'renewals:manage']);

    await page.goto(
      `/ja/admin/reservations/days?date=${tokyoDate(morning)}&facility=${facilityId}`,
    );
    const form = page.getByRole('region', { name: '電話で予約を受ける' });
    await form.getByLabel('用件').selectOption('cert_renewal');
    await form.getByLabel('予約 ID').fill(person.reservationId);
    await form.getByLabel('電話番号').fill('046-882-1111');
    await form.getByRole('button', { name: '予約する' }).click();
    await expect(page.getByRole('status').getByText('予約しました。')).toBeVisible();
    await page.getByRole('link', { name: /^変更・取消/ }).click();

    await page.getByRole('link', { name: 'この予約の全員を更新済みにする' }).click();
    await expect(page.getByText('次の1人を更新済みにしますか。')).toBeVisible();
    await checkPage({ lang: 'ja' });
    await page.getByRole('button', { name: '更新済みにする' }).click();
    const done = page.getByRole('status').filter({ hasText: '1人を更新済みにしました。' });
    await expect(done).toBeVisible();
    await expect(done).toBeFocused();
    await checkPage({ lang: 'ja' });

    // Another person's renewal page: the booking password is reissued after a confirm step.
    const other = await renewalWithForm(db, secrets, setter.actor, city);
    await page.goto(`/ja/admin/renewals/${other.id}`);
    await page.getByRole('link', { name: '予約用パスワードを再発行する' }).click();
    await expect(page.getByText(/^新しいパスワードを発行します。/)).toBeVisible();
    await checkPage({ lang: 'ja' });
    await page.getByRole('button', { name: '新しいパスワードを発行する' }).click();
    const issued = page.getByRole('status').filter({ hasText: '新しいパスワードを発行しました。' });
    await expect(issued).toBeFocused();
    await expect(
      issued.getByRole('link', { name: '新しいパスワードでお知らせを印刷する' }),
    ).toBeVisible();
    // The same page in English: the clerks' names in its history are read as Japanese.
    await page.goto(`/en/admin/renewals/${other.id}`);
    await checkPage({ lang: 'en' });
  });
});
