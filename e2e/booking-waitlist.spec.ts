import { randomInt, randomUUID } from 'node:crypto';
import { test, expect } from './fixtures.ts';
import { appDatabase } from './support/app.ts';
import { signInToBookingSite as signIn } from './support/booking-site.ts';
import { press, typeInto } from './support/keyboard.ts';
import { insertTargets } from '../test/support/targets.ts';
import { futureWorkingMorning, insertFacility, insertSlot } from '../test/support/reservations.ts';
import { credentialsForLetters } from '../app/targets/target-credentials.service.server.ts';
import { book } from '../app/reservations/booking.service.server.ts';
import { tokyoDate } from '../app/i18n/dates.ts';

/**
 * The waitlist (decision 0054): a resident joins the line of a full time by keyboard alone,
 * the check page saying it is not a booking; another resident cancels; the first sees the
 * offer, held until a time, and confirms it. The pages pass the page check in ja and en.
 */
const clerk = { actorType: 'system' as const, actorId: null, onBehalfOfResidentId: null, ip: null };

async function setUp() {
  const { db, secrets } = appDatabase();
  const city = `6${String(randomInt(100_000)).padStart(5, '0')}`;
  const ids = await insertTargets(db, { city, count: 2, state: 'letter_printed' });
  const [waiter, holder] = await credentialsForLetters(db, secrets, clerk, city, ids);
  const facility = await insertFacility(db, city);
  const startsAt = futureWorkingMorning(10);
  const slot = await insertSlot(db, city, facility, { startsAt, capacity: 1 });
  const booked = await book(db, clerk, {
    municipalityCode: city,
    kind: 'card_pickup',
    slotId: slot,
    members: [{ targetId: holder!.targetId, verifiedBy: 'session' }],
    email: 'holder@example.jp',
    locale: 'ja',
    idempotencyKey: randomUUID(),
    via: 'letter',
  });
  expect(booked.outcome).toBe('booked');
  return { waiter: waiter!, holder: holder!, facility, slot, day: tokyoDate(startsAt) };
}

test('a resident joins a full time keyboard-only, another cancels, the first confirms the offer', async ({
  page,
  browser,
  checkPage,
}) => {
  test.setTimeout(180_000);
  const { waiter, holder, facility, slot, day } = await setUp();
  await signIn(page, waiter);

  // The English check page of a waitlist request says it is not a booking.
  await page.goto(
    `/en/reservations/book/check?kind=card_pickup&facility=${facility}&day=${day}&slot=${slot}&waitlist=1&email=en%40example.jp`,
  );
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your waitlist request');
  await expect(page.getByText('This is not a booking.')).toBeVisible();
  await checkPage({ lang: 'en' });

  await page.goto(`/ja/reservations/book/time?kind=card_pickup&facility=${facility}&day=${day}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('時間を選ぶ');
  await expect(page.getByText(/10:00〜11:00 × 満席/)).toBeVisible();
  await checkPage({ lang: 'ja' });
  await press(page, page.getByRole('link', { name: /キャンセル待ちに登録/ }));

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('どなたが来ますか');
  await press(page, page.getByRole('link', { name: '次へ進む' }));

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('連絡先など');
  await typeInto(page, page.getByLabel('メールアドレス'), 'waiter@example.jp');
  await press(page, page.getByRole('button', { name: '次へ進む' }));

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'キャンセル待ちの登録内容の確認',
  );
  await expect(page.getByText('これは予約ではありません。')).toBeVisible();
  await checkPage({ lang: 'ja' });
  await press(page, page.getByRole('button', { name: 'キャンセル待ちに登録する' }));

  await expect(
    page.getByRole('status').filter({ hasText: 'キャンセル待ちに登録しました。' }),
  ).toBeVisible();
  await expect(page.getByText('1番目にお待ちです')).toBeVisible();
  await expect(page.getByRole('button', { name: 'キャンセル待ちをやめる' })).toBeVisible();
  await checkPage({ lang: 'ja' });

  // The other resident cancels their booking on their own device.
  const other = await browser.newContext();
  const holderPage = await other.newPage();
  try {
    await signIn(holderPage, holder);
    await holderPage.getByRole('link', { name: '予約を取り消す' }).click();
    await holderPage.getByRole('button', { name: '予約を取り消す' }).click();
    await expect(holderPage.getByText('予約を取り消しました。')).toBeVisible();
  } finally {
    await other.close();
  }

  // The first in line is offered the place, held until a time, in English too.
  await page.goto('/en/reservations');
  await expect(
    page.getByRole('heading', { level: 3, name: /A place is free: held for you until/ }),
  ).toBeVisible();
  await checkPage({ lang: 'en' });
  await page.goto('/ja/reservations');
  await expect(
    page.getByRole('heading', { level: 3, name: /空きが出ました：.*まで確保しています/ }),
  ).toBeVisible();
  await checkPage({ lang: 'ja' });
  await press(page, page.getByRole('button', { name: 'この枠で予約する' }));
  await expect(page.getByRole('status').filter({ hasText: '予約が確定しました。' })).toBeVisible();
  await expect(page.getByRole('link', { name: '予約を取り消す' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'キャンセル待ち' })).toHaveCount(0);
});
