import { expect, type Page } from '@playwright/test';

/** Signs a letter's resident in to the booking site (Japanese pages). */
export async function signInToBookingSite(
  page: Page,
  letter: { reservationId: string; password: string },
) {
  await page.goto('/ja/reservations');
  await page.getByLabel('予約番号').fill(letter.reservationId);
  await page.getByLabel('パスワード').fill(letter.password);
  await page.getByRole('button', { name: 'サインイン' }).click();
  await expect(page.getByRole('heading', { name: 'あなたの予約' })).toBeVisible();
}
