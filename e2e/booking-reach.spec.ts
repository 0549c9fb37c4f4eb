import { randomInt } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { pageProblems } from './page-check.ts';
import { appDatabase } from './support/app.ts';
import { insertTargets } from '../test/support/targets.ts';
import { futureWorkingMorning, insertFacility, insertSlot } from '../test/support/reservations.ts';
import { credentialsForLetters } from '../app/targets/target-credentials.service.server.ts';
import { bookingQrExpiry, signBookingToken } from '../app/reservations/booking-token.server.ts';
import { tokyoDate } from '../app/i18n/dates.ts';

/**
 * Everyone reaches a booking (issue 12): a resident opens the QR code of their letter and books
 * by keyboard alone on a 320 px wide phone, with text at 200 %, and with JavaScript off; every
 * step passes the page check (axe, reflow at 320 px, nothing clipped at 200 % text) in the
 * language it is booked in, Japanese and English.
 */
const system = {
  actorType: 'system' as const,
  actorId: null,
  onBehalfOfResidentId: null,
  ip: null,
};

/** A letter's target with its QR address, a facility with one free and one full slot. */
async function setUp(lang: 'ja' | 'en') {
  const { db, secrets } = appDatabase();
  const city = `6${String(randomInt(100_000)).padStart(5, '0')}`;
  const ids = await insertTargets(db, { city, count: 1, state: 'letter_printed' });
  const [letter] = await credentialsForLetters(db, secrets, system, city, ids);
  const facility = await insertFacility(db, city, { kinds: ['card_pickup'] });
  const startsAt = futureWorkingMorning(10);
  await insertSlot(db, city, facility, { startsAt, capacity: 4 });
  await insertSlot(db, city, facility, {
    startsAt: new Date(startsAt.getTime() + 3600_000),
    capacity: 2,
    taken: 2,
  });
  const token = signBookingToken(
    secrets,
    { municipalityCode: city, targetId: letter!.targetId, version: letter!.version },
    bookingQrExpiry(new Date()),
  );
  // The letter's QR code opens the Japanese page; an English reader opens the same in English.
  return {
    qr: `/${lang}/reservations/qr?token=${encodeURIComponent(token)}`,
    day: tokyoDate(startsAt),
  };
}

const WORDS = {
  ja: {
    book: '予約する',
    next: '次へ進む',
    nextMonth: '次の月',
    email: 'メールアドレス',
    confirm: '予約を確定する',
    booked: '予約が確定しました。',
  },
  en: {
    book: 'Book a time',
    next: 'Continue',
    nextMonth: 'Next month',
    email: 'Email address',
    confirm: 'Confirm the booking',
    booked: 'Your booking is confirmed.',
  },
} as const;

/** Presses Tab until the element has focus (keyboard only). */
async function tabTo(page: Page, target: ReturnType<Page['locator']>) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error('Tab never reached the control');
}

async function press(page: Page, target: ReturnType<Page['locator']>, key = 'Enter') {
  await tabTo(page, target);
  await page.keyboard.press(key);
}

/**
 * From the QR address to the confirmation, keyboard only; `check` runs on every step (the page
 * check, and whatever the test's setting needs again afterwards).
 */
async function bookFromQr(
  page: Page,
  lang: 'ja' | 'en',
  check: () => Promise<void>,
  { qr, day }: { qr: string; day: string },
) {
  const w = WORDS[lang];
  await page.goto(qr);
  const book = page.getByRole('link', { name: w.book });
  await expect(book).toBeVisible();
  await check();
  await press(page, book);

  await expect(page).toHaveURL(/\/reservations\/book/);
  await check();
  await press(page, page.getByRole('button', { name: w.next }));

  await expect(page).toHaveURL(/\/reservations\/book\/date/);
  const dayLink = page.locator(`a[data-day="${day}"]`);
  if (day.slice(0, 7) !== tokyoDate(new Date()).slice(0, 7))
    await press(page, page.getByRole('link', { name: w.nextMonth }));
  await expect(dayLink).toBeVisible();
  await check();
  // The only day with room is the calendar's one tab stop (with JS) or one of its links.
  await press(page, dayLink);

  await expect(page).toHaveURL(/\/reservations\/book\/time/);
  await expect(page.getByRole('radio')).toHaveCount(1);
  await check();
  await tabTo(page, page.getByRole('radio'));
  await page.keyboard.press('Space');
  await expect(page.getByRole('radio')).toBeChecked();
  await press(page, page.getByRole('button', { name: w.next }));

  await expect(page).toHaveURL(/\/reservations\/book\/people/);
  await check();
  await press(page, page.getByRole('link', { name: w.next }));

  await expect(page).toHaveURL(/\/reservations\/book\/details/);
  await check();
  await tabTo(page, page.getByLabel(w.email));
  await page.keyboard.type(`reach-${lang}@example.jp`);
  await press(page, page.getByRole('button', { name: w.next }));

  await expect(page).toHaveURL(/\/reservations\/book\/check/);
  await check();
  await press(page, page.getByRole('button', { name: w.confirm }));

  await expect(page.getByRole('status').filter({ hasText: w.booked })).toBeVisible();
  await check();
}

for (const lang of ['ja', 'en'] as const) {
  test.describe(`reaching a booking (${lang})`, () => {
    test('on a 320 px wide phone, keyboard only, from the QR code', async ({ page, checkPage }) => {
      test.setTimeout(240_000);
      await page.setViewportSize({ width: 320, height: 640 });
      const noSideScroll = async () => {
        const wide = await page.evaluate(
          () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
        );
        expect(wide, `horizontal scroll at 320 px on ${page.url()}`).toBe(false);
        // The page check looks at 320 px itself and at 200 % text on a wide screen; 200 % text
        // on a 320 px screen (a 160 px page) is more than WCAG asks.
        await page.setViewportSize({ width: 1280, height: 720 });
        await checkPage({ lang });
        await page.setViewportSize({ width: 320, height: 640 });
      };
      await bookFromQr(page, lang, noSideScroll, await setUp(lang));
    });

    test('with text at 200 %, keyboard only, from the QR code', async ({ page, checkPage }) => {
      test.setTimeout(240_000);
      const cdp = await page.context().newCDPSession(page);
      // The browser's default text size doubled, as a reader who sets large text has it.
      const largeText = () =>
        cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
      const normalText = () =>
        cdp.send('Page.setFontSizes', { fontSizes: { standard: 16, fixed: 13 } });
      await largeText();
      const checkLarge = async () => {
        // Nothing clipped or sideways at 200 % text here; then the page check (which looks at
        // 200 % text itself, and at 320 px with normal text) from the normal size.
        expect(
          await page.evaluate(
            () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
          ),
          `horizontal scroll at 200 % text on ${page.url()}`,
        ).toBe(false);
        await normalText();
        await checkPage({ lang });
        await largeText();
      };
      await bookFromQr(page, lang, checkLarge, await setUp(lang));
    });
  });
}

test.describe('reaching a booking without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  for (const lang of ['ja', 'en'] as const)
    test(`books from the QR code with plain links and forms (${lang})`, async ({
      page,
      browser,
    }) => {
      test.setTimeout(240_000);
      // axe runs inside the page, which needs JavaScript: each step the resident sees without
      // it is opened at the same address, signed in the same way, in a page that has it.
      const checkSameAddress = async () => {
        const context = await browser.newContext({
          javaScriptEnabled: true,
          storageState: await page.context().storageState(),
        });
        try {
          const checker = await context.newPage();
          await checker.goto(page.url());
          expect(await pageProblems(checker, { lang }), `page check of ${page.url()}`).toEqual([]);
        } finally {
          await context.close();
        }
      };
      await bookFromQr(page, lang, checkSameAddress, await setUp(lang));
    });
});
