import { randomInt } from 'node:crypto';
import type { Page } from '@playwright/test';
import {
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  QRCodeReader,
  RGBLuminanceSource,
} from '@zxing/library';
import { test, expect } from './fixtures.ts';
import { accountOfInvitation, appDatabase, signInAsNewStaff } from './support/app.ts';
import { importTargets, insertTargets, moveTargetThrough } from '../test/support/targets.ts';
import { credentialsForLetters } from '../app/targets/target-credentials.service.server.ts';

/**
 * Reservation letters (decision 0045): staff print a batch, the QR code printed on a letter
 * (decoded from its pixels, as a phone would) signs a resident in to the booking site, the ID
 * and password sign in by keyboard alone, a wrong password lands on the error summary, and a
 * reissued password refuses the old QR code.
 */

/**
 * The QR code of one letter, drawn into a canvas at whole pixels per module (as a sharp photo
 * would show it) and read by an independent decoder.
 */
async function decodeQr(page: Page, letterIndex: number): Promise<string> {
  const { gray, size } = await page.evaluate(async (index) => {
    const svg = document.querySelectorAll('.letter__qr-code svg')[index]!;
    const modules = Number(svg.getAttribute('viewBox')!.split(' ')[2]);
    const size = modules * 8;
    const image = new Image(size, size);
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext('2d')!;
    context.imageSmoothingEnabled = false;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, size, size);
    context.drawImage(image, 0, 0, size, size);
    const rgba = context.getImageData(0, 0, size, size).data;
    const gray: number[] = [];
    for (let i = 0; i < rgba.length; i += 4)
      gray.push(rgba[i]! + rgba[i + 1]! + rgba[i + 2]! < 384 ? 0 : 255);
    return { gray, size };
  }, letterIndex);
  const source = new RGBLuminanceSource(Uint8ClampedArray.from(gray), size, size);
  // A rendered code, not a photo: its grid is read as it is, without perspective guessing.
  const hints = new Map([[DecodeHintType.PURE_BARCODE, true]]);
  return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints).getText();
}

/** Presses Tab until the control with this accessible name has focus (keyboard only). */
async function tabTo(page: Page, name: string) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return el?.labels?.[0]?.textContent ?? el?.textContent ?? '';
    });
    if (focused.startsWith(name)) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

test('staff print a batch; its QR code and its password sign in; a reissue refuses the old QR', async ({
  page,
  browser,
  baseURL,
  checkPage,
}) => {
  test.setTimeout(120_000);
  const { db, connection } = appDatabase();
  const invite = await signInAsNewStaff(page, ['targets:letters']);
  // Two people imported into the server's city (its other targets belong to other tests),
  // their cards set up.
  const staffId = await accountOfInvitation(invite.id);
  const person = (name: string) => ({
    name,
    nameKana: '',
    birthDate: '1980-12-03',
    address: '神奈川県三浦市南下浦町上宮田1番地',
  });
  const imported = await importTargets(connection, staffId, [person('髙﨑 一'), person('髙﨑 二')]);
  const ids = imported.map((t) => t.id);
  for (const id of ids) await moveTargetThrough(db, staffId, id, ['setup_done']);
  const list = await db
    .selectFrom('pickupTarget')
    .innerJoin('targetImport', 'targetImport.id', 'pickupTarget.importId')
    .select(['targetImport.id', 'targetImport.fileName'])
    .where('pickupTarget.id', '=', ids[0]!)
    .executeTakeFirstOrThrow();

  // Choose the batch, keyboard only: this import's targets (there is no city to choose).
  await page.goto('/ja/admin/targets/letters');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('受け取り予約の通知書');
  await expect(page.getByLabel('市区町村')).toHaveCount(0);
  await checkPage({ lang: 'ja' });
  await page.waitForLoadState('networkidle');
  await tabTo(page, '取り込んだ一覧で選ぶ');
  await expect(page.getByLabel('取り込んだ一覧で選ぶ')).toBeChecked();
  await page.keyboard.press('Tab');
  const importList = page.getByLabel('取り込んだ一覧', { exact: true });
  await expect(importList).toBeFocused();
  await page.keyboard.type(list.fileName);
  await expect(importList).toHaveValue(list.id);
  await tabTo(page, '印刷する枚数を確認する');
  await page.keyboard.press('Enter');
  const preview = page.getByTestId('batch-preview');
  await expect(preview).toContainText('選んだ対象者 2 人のうち、2 通の通知書を印刷します。');
  await expect(preview).toContainText('今回はじめて予約番号とパスワードを作る人：2 人');
  await expect(preview).toBeFocused();

  // Print: the print page has one letter per target, with its reservation ID.
  await tabTo(page, '2 通を印刷する');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/ja\/admin\/targets\/letters\/[0-9a-f-]{36}\/print$/);
  const printUrl = new URL(page.url()).pathname;
  const letters = page.getByRole('article', { name: 'マイナンバーカード受け取り予約のご案内' });
  await expect(letters).toHaveCount(2);
  const stored = await db
    .selectFrom('pickupTarget')
    .select(['id', 'reservationId', 'state', 'postalCode'])
    .where('id', 'in', ids)
    .execute();
  const codes = await letters
    .locator('[data-letter-code]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-letter-code')!));
  for (const target of stored) {
    expect(target.state).toBe('letter_printed');
    expect(codes.map((c) => c.replace(/-/g, ''))).toContain(target.reservationId);
    await expect(page.locator('main')).toContainText(target.reservationId!.slice(6));
  }
  await expect(letters.first()).toContainText('〒238-0101');
  await expect(letters.first()).toContainText(`${new URL(baseURL!).origin}/ja/reservations`);
  await checkPage({ lang: 'ja' });
  // On paper: one letter per page, nothing of the site around them.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  expect(await letters.nth(1).evaluate((e) => getComputedStyle(e).breakBefore)).toBe('page');
  await page.emulateMedia({ media: 'screen' });
  const passwords = await letters
    .locator('[data-letter-password]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-letter-password')!));
  const printedTargets = await letters
    .getByRole('img', { name: /^QR コード：/ })
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-qr-target')));
  expect([await decodeQr(page, 0), await decodeQr(page, 1)]).toEqual(printedTargets);
  const qrTarget = printedTargets[0]!;
  expect(new URL(qrTarget).pathname).toBe('/ja/reservations/qr');

  // Printing the same letters again shows the same passwords.
  const reprint = await page.goto(printUrl);
  // The page holds passwords: no cache may keep it.
  expect(reprint?.headers()['cache-control']).toBe('no-store');
  await expect(
    page
      .locator('[data-letter-password]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-letter-password'))),
  ).resolves.toEqual(passwords);

  // In English, the page around the letters is English; the letters stay Japanese.
  await page.goto(printUrl.replace('/ja/', '/en/'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Pickup reservation letters (2)',
  );
  await expect(page.locator('[data-letter-code]')).toHaveText(codes);
  await checkPage({ lang: 'en' });

  // The resident scans the QR code on their own phone: signed in to the booking site.
  const phone = await browser.newContext({ baseURL, locale: 'ja-JP' });
  try {
    const resident = await phone.newPage();
    const qr = new URL(qrTarget);
    await resident.goto(qr.pathname + qr.search);
    await expect(resident).toHaveURL(/\/ja\/reservations$/);
    await expect(resident.getByRole('heading', { name: 'サインインしています' })).toBeVisible();
    await expect(resident.locator('[data-reservation-id]')).toHaveText(codes[0]!);

    // Another resident types the ID and password, keyboard only; a wrong password first.
    const desk = await browser.newContext({ baseURL, locale: 'ja-JP' });
    try {
      const typing = await desk.newPage();
      await typing.goto('/ja/reservations');
      await expect(typing.getByRole('heading', { level: 1 })).toHaveText(
        'マイナンバーカード受け取りの予約',
      );
      await typing.waitForLoadState('networkidle');
      await tabTo(typing, '予約番号');
      await typing.keyboard.type(codes[1]!);
      await typing.keyboard.press('Tab');
      await expect(typing.getByLabel('パスワード')).toBeFocused();
      await typing.keyboard.type('WRONG999');
      await typing.keyboard.press('Enter');
      const summary = typing.getByRole('alert').filter({ hasText: '入力内容を確認してください' });
      await expect(summary).toBeFocused();
      await expect(summary).toContainText('予約番号またはパスワードが正しくありません。');
      await expect(typing.getByLabel('パスワード')).toHaveValue('');
      await tabTo(typing, 'パスワード');
      await typing.keyboard.type(passwords[1]!.toLowerCase());
      await typing.keyboard.press('Enter');
      await expect(typing.getByRole('heading', { name: 'サインインしています' })).toBeVisible();
      await expect(typing.locator('[data-reservation-id]')).toHaveText(codes[1]!);
    } finally {
      await desk.close();
    }

    // The staff reissue the first letter's password, after a confirmation (keyboard only).
    await page.goto('/ja/admin/targets/letters');
    await page.waitForLoadState('networkidle');
    await tabTo(page, '予約番号');
    await page.keyboard.type(codes[0]!);
    await tabTo(page, '対象者を探す');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('reissue-confirm')).toContainText(codes[0]!);
    await tabTo(page, 'パスワードを再発行する');
    await page.keyboard.press('Enter');
    const done = page.getByRole('status').filter({ hasText: 'パスワードを再発行しました' });
    await expect(done).toBeFocused();

    // The resident signed in with the old QR code is signed out; the old QR code is refused.
    await resident.goto('/ja/reservations');
    await expect(resident.getByLabel('予約番号')).toBeVisible();
    await resident.goto(qr.pathname + qr.search);
    await expect(resident.getByRole('heading', { level: 1 })).toHaveText(
      'QR コードでサインインできませんでした',
    );
    await expect(resident.getByRole('alert')).toContainText('この QR コードは使えません。');
  } finally {
    await phone.close();
  }

  // The staff page in English.
  await page.goto('/en/admin/targets/letters?by=state&state=setup_done');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pickup reservation letters');
  await checkPage({ lang: 'en' });
});

test('the booking pages pass the page check in Japanese and English: sign-in, signed in, QR refused', async ({
  page,
  checkPage,
}) => {
  const { db, secrets } = appDatabase();
  const city = `8${String(randomInt(100_000)).padStart(5, '0')}`;
  const ids = await insertTargets(db, { city, count: 1, state: 'letter_printed' });
  const clerk = {
    actorType: 'system' as const,
    actorId: null,
    onBehalfOfResidentId: null,
    ip: null,
  };
  const [letter] = await credentialsForLetters(db, secrets, clerk, city, ids);

  await page.goto('/ja/reservations');
  await expect(page.getByRole('button', { name: 'サインイン' })).toBeVisible();
  await checkPage({ lang: 'ja' });
  await page.goto('/en/reservations');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Booking your My Number Card pickup',
  );
  await checkPage({ lang: 'en' });

  await page.getByLabel('Reservation ID').fill(letter!.reservationId);
  await page.getByLabel('Password').fill(letter!.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  await checkPage({ lang: 'en' });
  await page.goto('/ja/reservations');
  await expect(page.getByRole('heading', { name: 'サインインしています' })).toBeVisible();
  await checkPage({ lang: 'ja' });
  await page.getByRole('button', { name: 'サインアウト' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'サインアウトしました。' }),
  ).toBeVisible();

  for (const lang of ['ja', 'en'] as const) {
    const response = await page.goto(`/${lang}/reservations/qr?token=forged`);
    expect(response?.status()).toBe(400);
    await expect(page.getByRole('alert')).toBeVisible();
    await checkPage({ lang });
  }
});
