import { randomInt } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { appDatabase } from './support/app.ts';
import { signInToBookingSite as signIn } from './support/booking-site.ts';
import { tabTo } from './support/keyboard.ts';
import { insertTargets } from '../test/support/targets.ts';
import { futureWorkingMorning, insertFacility, insertSlot } from '../test/support/reservations.ts';
import { credentialsForLetters } from '../app/targets/target-credentials.service.server.ts';
import { tokyoDate } from '../app/i18n/dates.ts';

/**
 * The resident booking flow (decision 0052): signed in with the letter's reservation ID and
 * password, a resident books by keyboard alone for themself and one household member, hears
 * each calendar day's state, sees the booking and cancels it; without JavaScript the same
 * steps book too. The calendar and check pages pass the page check in Japanese and English.
 */
const clerk = { actorType: 'system' as const, actorId: null, onBehalfOfResidentId: null, ip: null };

async function setUp(count: number) {
  const { db, secrets } = appDatabase();
  const city = `7${String(randomInt(100_000)).padStart(5, '0')}`;
  const ids = await insertTargets(db, { city, count, state: 'letter_printed' });
  const letters = await credentialsForLetters(db, secrets, clerk, city, ids);
  const facility = await insertFacility(db, city);
  const startsAt = futureWorkingMorning(10);
  const slot = await insertSlot(db, city, facility, { startsAt, capacity: 4 });
  // Eleven o'clock the same day is already full.
  await insertSlot(db, city, facility, {
    startsAt: new Date(startsAt.getTime() + 3600_000),
    capacity: 2,
    taken: 2,
  });
  return { letters, facility, slot, day: tokyoDate(startsAt) };
}

/** Moves to the slot's month with the "next month" link if it is not this month. */
async function toMonth(page: Page, day: string, keyboard: boolean) {
  if (day.slice(0, 7) === tokyoDate(new Date()).slice(0, 7)) return;
  const next = page.getByRole('link', { name: '次の月' });
  if (keyboard) {
    await tabTo(page, next);
    await page.keyboard.press('Enter');
  } else await next.click();
  await expect(page.locator('caption')).toContainText(`${Number(day.slice(5, 7))}月`);
}

test('a resident books keyboard-only with a household member, sees the booking and cancels', async ({
  page,
  checkPage,
}) => {
  test.setTimeout(180_000);
  const { letters, day } = await setUp(2);
  const [self, member] = letters;
  await signIn(page, self!);

  await tabTo(page, page.getByRole('link', { name: '予約する' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('どの窓口で受け取りますか');
  // The only counter is chosen already.
  await tabTo(page, page.getByRole('button', { name: '次へ進む' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('日にちを選ぶ');
  await toMonth(page, day, true);
  const calendar = page.getByRole('table');
  await expect(calendar.getByRole('columnheader')).toHaveCount(7);
  // What a screen reader hears: each day link names its date and its state in words.
  const dayNumber = Number(day.slice(8));
  const dayLink = calendar.locator(`a[data-day="${day}"]`);
  await expect(dayLink).toHaveAccessibleName(
    new RegExp(`${Number(day.slice(5, 7))}月${dayNumber}日.*空きあり$`),
  );
  for (const link of await calendar.getByRole('link').all())
    await expect(link).toHaveAccessibleName(/(空きあり|残りわずか)$/);
  await checkPage({ lang: 'ja' });
  // One tab stop for the whole calendar; the arrow keys move between the day links.
  await tabTo(page, calendar.getByRole('link').first());
  for (let i = 0; i < 40; i++) {
    if (await dayLink.evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press('ArrowRight');
  }
  await expect(dayLink).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('時間を選ぶ');
  await expect(page.getByText(/11:00〜12:00 × 満席/)).toBeVisible();
  await expect(page.getByRole('radio')).toHaveCount(1);
  const ten = page.getByRole('radio', { name: /^10:00〜11:00 空きあり/ });
  await tabTo(page, ten);
  await page.keyboard.press('Space');
  await tabTo(page, page.getByRole('button', { name: '次へ進む' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('どなたが来ますか');
  // A wrong password is answered next to its field, with the summary.
  await tabTo(page, page.getByLabel('その方の予約番号'));
  await page.keyboard.type(member!.reservationId);
  await tabTo(page, page.getByLabel('その方のパスワード'));
  await page.keyboard.type('WRONG999');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').first()).toContainText(
    '予約番号またはパスワードが正しくありません',
  );
  await tabTo(page, page.getByLabel('その方の予約番号'));
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(member!.reservationId);
  await tabTo(page, page.getByLabel('その方のパスワード'));
  await page.keyboard.type(member!.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: /2 人/ })).toBeVisible();
  await tabTo(page, page.getByRole('link', { name: '次へ進む' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('連絡先など');
  await tabTo(page, page.getByLabel('メールアドレス'));
  await page.keyboard.type('not-an-email');
  await tabTo(page, page.getByRole('button', { name: '次へ進む' }));
  await page.keyboard.press('Enter');
  await expect(page.locator('#email-error')).toContainText('メールアドレスを入力してください');
  await tabTo(page, page.getByLabel('メールアドレス'));
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('family@example.jp');
  await tabTo(page, page.getByLabel('車いすのスペース'));
  await page.keyboard.press('Space');
  await tabTo(page, page.getByRole('button', { name: '次へ進む' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('入力内容の確認');
  await expect(page.locator('[data-reservation-id]')).toHaveText([
    `${self!.reservationId.slice(0, 3)}-${self!.reservationId.slice(3, 6)}-${self!.reservationId.slice(6)}`,
    `${member!.reservationId.slice(0, 3)}-${member!.reservationId.slice(3, 6)}-${member!.reservationId.slice(6)}`,
  ]);
  await checkPage({ lang: 'ja' });
  await tabTo(page, page.getByRole('button', { name: '予約を確定する' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('status').filter({ hasText: '予約が確定しました。' })).toBeVisible();
  await expect(page.getByText('車いすのスペース')).toBeVisible();
  await expect(page.locator('[data-reservation-id]')).toHaveCount(3);

  // The resident signs in again later: the booking is there; cancelling asks first.
  await tabTo(page, page.getByRole('link', { name: '予約を取り消す' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('予約を取り消しますか');
  await tabTo(page, page.getByRole('button', { name: '予約を取り消す' }));
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('status').filter({ hasText: '予約を取り消しました。' }),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: '予約する' })).toBeVisible();
});

test('the calendar and check pages pass the page check in English; without JavaScript booking works', async ({
  browser,
  checkPage,
  page,
}) => {
  test.setTimeout(180_000);
  const { letters, facility, slot, day } = await setUp(2);
  const [english, plain] = letters;

  // English, with JavaScript: the page check on the calendar and on the check page.
  await signIn(page, english!);
  await page.goto(
    `/en/reservations/book/date?kind=card_pickup&facility=${facility}&month=${day.slice(0, 7)}`,
  );
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a day');
  await expect(page.locator(`a[data-day="${day}"]`)).toHaveAccessibleName(/Available$/);
  await checkPage({ lang: 'en' });
  await page.goto(
    `/en/reservations/book/check?kind=card_pickup&facility=${facility}&slot=${slot}&email=en%40example.jp`,
  );
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your answers');
  await checkPage({ lang: 'en' });

  // Without JavaScript: plain links and forms all the way.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await context.newPage();
  try {
    await signIn(noJs, plain!);
    await noJs.getByRole('link', { name: '予約する' }).click();
    await noJs.getByRole('button', { name: '次へ進む' }).click();
    await toMonth(noJs, day, false);
    await noJs.locator(`a[data-day="${day}"]`).click();
    await noJs.getByRole('radio', { name: /10:00〜11:00/ }).check();
    await noJs.getByRole('button', { name: '次へ進む' }).click();
    await noJs.getByRole('link', { name: '次へ進む' }).click();
    await noJs.getByRole('button', { name: '次へ進む' }).click();
    // No email: sent back with the error next to the field and the summary.
    await expect(noJs.locator('#email-error')).toContainText('メールアドレスを入力してください');
    await expect(noJs.getByRole('alert').first()).toBeVisible();
    await noJs.getByLabel('メールアドレス').fill('nojs@example.jp');
    await noJs.getByRole('button', { name: '次へ進む' }).click();
    await noJs.getByRole('button', { name: '予約を確定する' }).click();
    await expect(noJs.getByText('予約が確定しました。')).toBeVisible();
    await expect(noJs.getByRole('link', { name: '時間を変更する' })).toBeVisible();
  } finally {
    await context.close();
  }
});
