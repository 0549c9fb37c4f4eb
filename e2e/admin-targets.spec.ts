import { test, expect } from './fixtures.ts';
import { appDatabase, signInAsNewStaff } from './support/app.ts';
import { staffWithSession } from '../test/support/routes.ts';
import {
  giveCredentials,
  importTargets,
  kanaTag,
  moveTargetThrough,
} from '../test/support/targets.ts';

/**
 * The counter's pages for card pickup: find a target, open it, move it through set-up, hand
 * the card over with the keyboard only, and answer a phone call. Targets are imported
 * through the import services by another clerk; booking (a later issue) is a service call.
 */
test.describe('staff: card pickup targets', () => {
  test.use({ locale: 'ja-JP' });

  test('search by kana and by 和暦, set-up done, hand-over keyboard only, once; phone lookup', async ({
    page,
    context,
    checkPage,
  }) => {
    test.setTimeout(150_000);
    const { db, connection, secrets } = appDatabase();
    const importer = await staffWithSession(db, ['targets:import']);
    const kana = kanaTag();
    const [hanako, ichiro] = await importTargets(connection, importer.accountId, [
      {
        name: '髙橋　花子',
        nameKana: `タカハシ　ハナコ${kana.katakana}`,
        birthDate: 'S55.12.3',
        address: '神奈川県三浦市城山町1-1',
      },
      {
        name: '山﨑　一郎',
        nameKana: `ヤマサキ　イチロウ${kana.katakana}`,
        birthDate: '1985-04-01',
        address: '神奈川県三浦市初声町下宮田',
      },
    ]);
    const reservationId = await giveCredentials(db, secrets, importer.accountId, hanako!.id);
    await signInAsNewStaff(page, ['targets:manage', 'targets:lookup']);

    // The search page, from the menu.
    await page.getByRole('link', { name: 'カード交付対象者', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('カード交付対象者の検索');
    await checkPage({ lang: 'ja' });

    // A date that does not exist: a field error and the summary, which takes focus.
    await page.getByLabel('生年月日').fill('S55.2.30');
    await page.getByLabel('生年月日').press('Enter');
    await expect(page.getByRole('alert')).toBeFocused();
    await expect(page.getByRole('alert')).toContainText('生年月日は、実在する日付');

    // By reading, typed in hiragana with a full-width space; the count takes focus.
    await page.goto('/ja/admin/targets');
    const name = page.getByLabel('氏名（漢字またはカナ）');
    await name.fill(`たかはし　はなこ${kana.hiragana}`);
    await name.press('Enter');
    const found = page.getByRole('status').getByText('1 件見つかりました。');
    await expect(found).toBeFocused();
    await expect(page.getByRole('region', { name: '検索結果' })).toContainText(
      '昭和55年12月3日（1980年12月3日）',
    );
    await expect(page.getByRole('cell', { name: reservationId })).toBeVisible();
    await checkPage({ lang: 'ja' });

    // By the date of birth in 和暦, with part of the name as written (異体字 folded).
    await page.goto('/ja/admin/targets');
    await page.getByLabel('氏名（漢字またはカナ）').fill(`やまさき　いちろう${kana.hiragana}`);
    await page.getByLabel('生年月日').fill('昭和60年4月1日');
    await page.getByLabel('生年月日').press('Enter');
    await expect(page.getByRole('status').getByText('1 件見つかりました。')).toBeFocused();
    await expect(page.getByRole('link', { name: '山﨑　一郎' })).toBeVisible();
    await page.goto(`/en/admin/targets?name=${encodeURIComponent(`やまさき${kana.hiragana}`)}`);
    await expect(page.getByText('No target matches.')).toBeVisible();
    await page.goto(`/en/admin/targets?name=${encodeURIComponent(`山崎`)}&birthDate=S60.4.1`);
    await expect(page.getByText(/targets? found\./)).toBeVisible();
    await checkPage({ lang: 'en' });

    // Cancelling asks first, and needs a reason.
    await page.goto(`/ja/admin/targets/${ichiro!.id}`);
    await page.getByRole('link', { name: '廃止する' }).press('Enter');
    await expect(page.getByRole('heading', { name: '廃止してよろしいですか' })).toBeFocused();
    await page.getByRole('button', { name: '廃止する' }).press('Enter');
    await expect(page.locator('.error-summary')).toBeFocused();
    await expect(page.locator('.error-summary')).toContainText('廃止の理由を入力してください。');
    await page.getByLabel(/廃止の理由/).fill('本人からの申出');
    await page.getByRole('button', { name: '廃止する' }).press('Enter');
    const cancelled = page.getByRole('status').filter({ hasText: '「廃止」に変更しました' });
    await expect(cancelled).toBeFocused();
    await expect(page.getByRole('region', { name: '状態の履歴' })).toContainText('本人からの申出');

    // Open a target from the results and mark its set-up done, keyboard only.
    await page.goto(
      `/ja/admin/targets?name=${encodeURIComponent(`たかはし　はなこ${kana.hiragana}`)}`,
    );
    await page.getByRole('link', { name: '髙橋　花子' }).press('Enter');
    await expect(page).toHaveURL(new RegExp(`/ja/admin/targets/${hanako!.id}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      '髙橋　花子 さん（交付対象者）',
      {
        useInnerText: true,
      },
    );
    await checkPage({ lang: 'ja' });
    await page.getByRole('button', { name: '交付前設定を完了にする' }).press('Enter');
    const setUp = page
      .getByRole('status')
      .filter({ hasText: '状態を「取込済み」から「交付前設定済み」に変更しました。' });
    await expect(setUp).toBeFocused();
    await expect(page.getByRole('region', { name: '交付対象者の記録' })).toContainText(
      '交付前設定済み',
    );

    // Booking is a later issue: the target is booked through the service.
    await moveTargetThrough(db, importer.accountId, hanako!.id, ['letter_printed', 'booked']);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'カードの交付' })).toBeVisible();
    await checkPage({ lang: 'ja' });
    // A second tab opened now will try the same hand-over afterwards.
    const second = await context.newPage();
    await second.goto(`/ja/admin/targets/${hanako!.id}`);

    // The hand-over, keyboard only: the documents, the face check, the steps, then record.
    await page.getByRole('checkbox', { name: '運転免許証' }).focus();
    await page.keyboard.press('Space');
    for (let i = 0; i < 7; i++) await page.keyboard.press('Tab'); // past the other documents and the text field
    await expect(page.getByRole('radio', { name: '一致', exact: true })).toBeFocused();
    await page.keyboard.press('Space');
    for (const step of ['利用者証明用電子証明書', '署名用電子証明書', '暗証番号の設定']) {
      await page.keyboard.press('Tab');
      await expect(page.getByRole('checkbox', { name: step })).toBeFocused();
      await page.keyboard.press('Space');
    }
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: '交付を記録する' })).toBeFocused();
    await page.keyboard.press('Enter');
    const issued = page.getByRole('status').filter({ hasText: '交付を記録しました。' });
    await expect(issued).toBeFocused();
    const record = page.getByRole('region', { name: '交付の記録' });
    await expect(record).toContainText('運転免許証');
    await expect(record).toContainText('一致');
    await expect(page.getByRole('heading', { name: 'カードの交付' })).toHaveCount(0);
    await checkPage({ lang: 'ja' });

    // The second tab's hand-over is refused, and shows the record that exists.
    await second.getByRole('checkbox', { name: 'パスポート' }).check();
    await second.getByRole('radio', { name: '一致', exact: true }).check();
    await second.getByRole('button', { name: '交付を記録する' }).press('Enter');
    const refused = second.getByRole('alert');
    await expect(refused).toHaveText('このカードはすでに交付済みです。交付の記録は下にあります。');
    await expect(refused).toBeFocused();
    await expect(second.getByRole('region', { name: '交付の記録' })).toContainText('運転免許証');
    await second.close();

    await page.goto(`/en/admin/targets/${hanako!.id}`);
    await expect(page.getByRole('region', { name: 'Hand-over record' })).toContainText(
      'Driving licence',
    );
    await checkPage({ lang: 'en' });

    // The phone lookup: all three, and only the reservation ID and state of one match.
    const lookupPage = await page.goto('/ja/admin/targets/lookup');
    expect(lookupPage?.headers()['cache-control']).toBe('no-store');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('電話での問い合わせ');
    await checkPage({ lang: 'ja' });
    await page.getByRole('button', { name: '確認する' }).press('Enter');
    await expect(page.locator('.error-summary')).toBeFocused();
    await page.getByLabel(/^氏名/).fill(`たかはし　はなこ${kana.hiragana}`);
    await page.getByLabel(/^生年月日/).fill('昭和55年12月3日');
    await page.getByLabel(/^住所/).fill('城山町1-1');
    await page.getByRole('button', { name: '確認する' }).press('Enter');
    const answer = page
      .getByRole('status')
      .getByText(`一致しました。予約番号は ${reservationId}、状態は「交付済み」です。`);
    await expect(answer).toBeFocused();
    await checkPage({ lang: 'ja' });
    await page.goto('/en/admin/targets/lookup');
    await checkPage({ lang: 'en' });
  });

  test('each page refuses staff without its permission', async ({ page }) => {
    await signInAsNewStaff(page, ['targets:lookup']);
    await expect(page.getByRole('link', { name: '電話での問い合わせ' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'カード交付対象者', exact: true })).toHaveCount(0);
    const response = await page.goto('/ja/admin/targets');
    expect(response?.status()).toBe(403);
  });
});
