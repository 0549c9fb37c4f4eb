import { randomInt } from 'node:crypto';
import { test, expect } from './fixtures.ts';
import { signInAsNewStaff } from './support/app.ts';
import { press, tabTo, typeInto } from './support/keyboard.ts';
import { addDays, tokyoDate } from '../app/i18n/dates.ts';
import { weekStartOf } from '../app/reservations/booking-rules.ts';

/**
 * The staff calendar, keyboard only: add a facility with its hours, publish next week, see its
 * slots and change one's places, then set the card pickup rules with one question (a field
 * error first). Each page is checked in Japanese and English.
 */
test.describe('staff: the reservations calendar', () => {
  test.use({ locale: 'ja-JP' });

  test('facility, hours, a published week, a slot’s places and the rules, keyboard only', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(180_000);
    await signInAsNewStaff(page, ['reservations:manage']);
    const both = async (path: string) => {
      await checkPage({ lang: 'ja' });
      await page.goto(`/en${path}`);
      await checkPage({ lang: 'en' });
      await page.goto(`/ja${path}`);
      await page.waitForLoadState('networkidle');
    };

    // The index, in both languages.
    await page.goto('/ja/admin/reservations');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('予約');
    await both('/admin/reservations');

    // A new facility: its names, then its opening hours on weekdays.
    await press(page, page.getByRole('link', { name: '施設・開庁時間・週' }));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('施設');
    await press(page, page.getByRole('link', { name: '施設を追加' }));
    await page.waitForLoadState('networkidle');
    const tag = String(randomInt(100_000, 999_999));
    await typeInto(page, page.getByLabel('名称（日本語）'), `三崎出張所${tag}`);
    await typeInto(page, page.getByLabel('名称（英語）'), `Misaki Branch ${tag}`);
    await press(page, page.getByRole('button', { name: '施設を追加' }));
    await page.waitForURL(/\/ja\/admin\/reservations\/facilities\/[0-9a-f-]{36}\?created=1$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`三崎出張所${tag}`);
    await page.waitForLoadState('networkidle');

    // Hours with a mistake first: the error is next to the day's field, in the summary too.
    await typeInto(page, page.getByLabel('月曜日'), '10:00-9:00');
    await press(page, page.getByRole('button', { name: '開庁時間を保存' }));
    await expect(page.getByRole('alert')).toBeFocused();
    await expect(page.getByRole('alert')).toContainText('月曜日');
    for (const day of ['月曜日', '火曜日', '水曜日', '木曜日', '金曜日'])
      await typeInto(page, page.getByLabel(day), '9:00-11:00');
    await press(page, page.getByRole('button', { name: '開庁時間を保存' }));
    await expect(page.getByRole('status').getByText('開庁時間を保存しました。')).toBeFocused();
    const facilityPath = new URL(page.url()).pathname.replace(/^\/ja/, '');
    await both(facilityPath);

    // Next week: published (its slots are made then), then its slots shown.
    const week = addDays(weekStartOf(tokyoDate(new Date())), 7);
    await press(page, page.getByRole('link', { name: 'この施設の週と枠' }));
    await expect(page.getByRole('heading', { level: 1 })).toContainText('週と枠');
    await page.waitForLoadState('networkidle');
    await press(page, page.getByRole('button', { name: `公開 ${week}`, exact: true }));
    await expect(page.getByRole('status').getByText(`${week} の週を公開しました。`)).toBeFocused();
    const row = page.getByRole('row', { name: new RegExp(`^${week}`) });
    await expect(row.getByRole('cell', { name: '公開中' })).toBeVisible();
    await press(page, page.getByRole('link', { name: `枠を表示 ${week}` }));
    await page.waitForURL(new RegExp(`\\?week=${week}$`));
    await page.waitForLoadState('networkidle');
    const slots = page.getByRole('region', { name: `${week} の週の枠` }).first();
    await expect(slots.getByRole('row')).not.toHaveCount(1);
    await expect(slots.getByRole('row').nth(1)).toContainText('0 / 4');

    // One slot gets six places.
    const places = slots.getByRole('spinbutton', { name: /^定員 / }).first();
    await typeInto(page, places, '6');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').getByText('定員を保存しました。')).toBeFocused();
    await expect(
      page
        .getByRole('region', { name: `${week} の週の枠` })
        .getByRole('row')
        .nth(1),
    ).toContainText('0 / 6');
    await both(`${facilityPath}/weeks?week=${week}`);

    // The rules: card pickup gets an optional yes/no question.
    await page.goto('/ja/admin/reservations');
    await page.waitForLoadState('networkidle');
    await press(page, page.getByRole('link', { name: '予約ルールと事前質問' }));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('予約ルール');
    await page.waitForLoadState('networkidle');
    const pickup = page.getByRole('region', { name: 'カードの受け取り' });
    const first = pickup.getByRole('group', { name: '質問 1' });
    const type = first.getByLabel('回答の形式');
    await tabTo(page, type);
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await expect(type).toHaveValue('yesno');
    await typeInto(page, first.getByLabel('質問文（日本語）'), '車いすを使いますか');
    await typeInto(page, first.getByLabel('質問文（英語）'), '');
    const save = pickup.getByRole('button', { name: 'カードの受け取りのルールを保存' });
    await press(page, save);
    const summary = pickup.getByRole('alert');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('質問 1: 質問文（英語）');
    await expect(first.getByText('入力してください')).toBeVisible();
    await typeInto(page, first.getByLabel('質問文（英語）'), 'Do you use a wheelchair?');
    await press(page, save);
    await expect(
      page.getByRole('status').getByText('カードの受け取りのルールを保存しました。'),
    ).toBeFocused();
    await expect(
      page
        .getByRole('region', { name: 'カードの受け取り' })
        .getByRole('group', { name: '質問 1' })
        .getByLabel('質問文（英語）'),
    ).toHaveValue('Do you use a wheelchair?');
    await both('/admin/reservations/rules');
  });
});
