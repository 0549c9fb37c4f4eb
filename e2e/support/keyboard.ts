import type { Locator, Page } from '@playwright/test';

/** Tab (never a click) until the control has focus. */
export async function tabTo(page: Page, target: Locator, maxStops = 120) {
  for (let i = 0; i < maxStops; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached the control');
}

/** Tab to a link or button and press Enter. */
export async function press(page: Page, target: Locator) {
  await tabTo(page, target);
  await page.keyboard.press('Enter');
}

/** Tab to a text field and replace what it holds by typing. */
export async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.type(text);
}

/** Arrow keys inside a composite widget (the booking calendar) until the control has focus. */
export async function arrowTo(page: Page, target: Locator, key = 'ArrowRight', maxStops = 40) {
  for (let i = 0; i < maxStops; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached the control`);
}
