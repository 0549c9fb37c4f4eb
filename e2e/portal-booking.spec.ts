import { randomInt } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { appDatabase, enrolResident } from './support/app.ts';
import { arrowTo, press, tabTo, typeInto } from './support/keyboard.ts';
import { insertTargets } from '../test/support/targets.ts';
import { futureWorkingMorning, insertFacility, insertSlot } from '../test/support/reservations.ts';
import {
  bookedViaOf,
  cardNumber,
  setResidentCard,
  setTargetCard,
  todosOfKind,
  validRegisterCodeOf,
} from '../test/support/portal-booking.ts';
import { credentialsForLetters } from '../app/targets/target-credentials.service.server.ts';
import {
  PICKUP_TODO_KIND,
  syncPickupTodos,
} from '../app/reservations/portal-booking.service.server.ts';
import { tokyoDate } from '../app/i18n/dates.ts';
import { staffWithSession } from '../test/support/routes.ts';
import { addRenewalByHand } from '../app/targets/renewal.service.server.ts';
import { printRenewalForms } from '../app/targets/renewal-output.service.server.ts';

/**
 * Booking from the portal (decision 0055): a resident signed in with a passkey whose card is
 * a pickup target opens the to-do "Book your card pickup" and books keyboard-only, without
 * the letter; the to-do is then done. A resident who is no target gets a page saying so.
 * Page check in Japanese and English. A renewal target signs in with the reservation ID and
 * password printed on their renewal form and books an e-certificate renewal the same way.
 */
const clerk = { actorType: 'system' as const, actorId: null, onBehalfOfResidentId: null, ip: null };

/** From the date step to the check page, keyboard only: the day, ten o'clock, no one else. */
async function bookFromDateStep(page: Page, day: string) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('日にちを選ぶ');
  if (day.slice(0, 7) !== tokyoDate(new Date()).slice(0, 7)) {
    await press(page, page.getByRole('link', { name: '次の月' }));
    await expect(page.locator('caption')).toContainText(`${Number(day.slice(5, 7))}月`);
  }
  const dayLink = page.getByRole('table').locator(`a[data-day="${day}"]`);
  await tabTo(page, page.getByRole('table').getByRole('link').first());
  await arrowTo(page, dayLink);
  await expect(dayLink).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('時間を選ぶ');
  await tabTo(page, page.getByRole('radio', { name: /^10:00〜11:00 空きあり/ }));
  await page.keyboard.press('Space');
  await press(page, page.getByRole('button', { name: '次へ進む' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('どなたが来ますか');
  await press(page, page.getByRole('link', { name: '次へ進む' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('連絡先など');
  await typeInto(page, page.getByLabel('メールアドレス'), 'booker@example.jp');
  await press(page, page.getByRole('button', { name: '次へ進む' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('入力内容の確認');
}

test('a resident signed in with a passkey books from the to-do, keyboard only', async ({
  page,
  checkPage,
}) => {
  test.setTimeout(180_000);
  const { db, secrets } = appDatabase();
  const city = `6${String(randomInt(100_000)).padStart(5, '0')}`;
  const [targetId] = await insertTargets(db, { city, count: 1, state: 'letter_printed' });
  await credentialsForLetters(db, secrets, clerk, city, [targetId!]);
  const facility = await insertFacility(db, city);
  const startsAt = futureWorkingMorning(10);
  await insertSlot(db, city, facility, { startsAt, capacity: 4 });
  const day = tokyoDate(startsAt);

  const resident = await enrolResident(page, '1980-12-03', {
    name: `Tanaka ${randomInt(100_000, 1_000_000)}`,
    municipalityCode: city,
  });
  const card = cardNumber();
  await setTargetCard(db, city, targetId!, card);
  await setResidentCard(db, resident.id, card);
  // What printing the letter does for a target a resident's card matches.
  await syncPickupTodos(db, city, [targetId!]);
  const [todo] = await todosOfKind(db, resident.id, PICKUP_TODO_KIND);

  await page.goto('/ja/todos');
  const item = page.locator(`[data-todo-id="${todo!.id}"]`);
  await expect(item).toContainText('マイナンバーカードの受け取りを予約');
  await checkPage({ lang: 'ja' });
  await press(page, item.getByRole('link', { name: '手続きのページを開く' }));

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('どの窓口で受け取りますか');
  await press(page, page.getByRole('button', { name: '次へ進む' }));
  await bookFromDateStep(page, day);
  await checkPage({ lang: 'ja' });
  await press(page, page.getByRole('button', { name: '予約を確定する' }));
  await expect(page.getByRole('status').filter({ hasText: '予約が確定しました。' })).toBeVisible();

  // The to-do is done; opening the link again shows the booking.
  expect(await todosOfKind(db, resident.id, PICKUP_TODO_KIND)).toMatchObject([
    { id: todo!.id, status: 'done' },
  ]);
  expect(await bookedViaOf(db, targetId!)).toEqual(['portal']);
  await page.goto('/en/reservations/portal');
  await expect(page).toHaveURL(/\/en\/reservations$/);
  await checkPage({ lang: 'en' });

  // Without a matching card the entry says so, in both languages.
  await setResidentCard(db, resident.id, null);
  for (const lang of ['en', 'ja'] as const) {
    await page.goto(`/${lang}/reservations/portal`);
    await expect(
      page
        .getByRole('status')
        .filter({ hasText: lang === 'en' ? 'We could not find' : '見つかりませんでした' }),
    ).toBeVisible();
    await checkPage({ lang });
  }
});

test('a renewal target signs in with the printed form and books an e-certificate renewal', async ({
  page,
  checkPage,
}) => {
  test.setTimeout(120_000);
  const { db, secrets } = appDatabase();
  const city = `5${String(randomInt(100_000)).padStart(5, '0')}`;
  const clerk = await staffWithSession(db, ['renewals:manage']);
  const actor = {
    actorType: 'staff' as const,
    actorId: clerk.accountId,
    onBehalfOfResidentId: null,
    ip: null,
  };
  const added = await addRenewalByHand(db, actor, city, {
    residentRegisterCode: validRegisterCodeOf(),
    name: '更新 太郎',
    nameKana: null,
    birthDate: '1958-05-05',
    address: '三浦市城山町1番1号',
    noticeNumber: `N-${randomInt(1_000_000)}`,
    certificateExpiresOn: null,
  });
  const [form] = (await printRenewalForms(db, secrets, actor, city, [added.id]))!;
  const facility = await insertFacility(db, city);
  const startsAt = futureWorkingMorning(10);
  await insertSlot(db, city, facility, { startsAt, capacity: 4 });

  await page.goto('/ja/reservations');
  await typeInto(page, page.getByLabel('予約番号'), form!.reservationId!);
  await typeInto(page, page.getByLabel('パスワード'), form!.password!);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'あなたの予約' })).toBeVisible();
  await press(page, page.getByRole('link', { name: '予約する' }));
  await expect(page.getByText('電子証明書')).toBeVisible();
  await press(page, page.getByRole('button', { name: '次へ進む' }));
  await bookFromDateStep(page, tokyoDate(startsAt));
  await checkPage({ lang: 'ja' });
  await press(page, page.getByRole('button', { name: '予約を確定する' }));
  await expect(page.getByRole('status').filter({ hasText: '予約が確定しました。' })).toBeVisible();
  // Who is signed in, and the one person the booking holds.
  const printed = form!.reservationId!.replace(/^(\d{3})(\d{3})/, '$1-$2-');
  await expect(page.locator('[data-reservation-id]')).toHaveText([printed, printed]);
});
