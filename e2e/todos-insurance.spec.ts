import { randomInt } from 'node:crypto';

import { test, expect } from './fixtures.ts';
import { appDatabase, createResident, enrolResident, signInAsNewStaff } from './support/app.ts';
import { createSystemTodo } from '../app/todos/todo.service.server.ts';
import { importInsuranceCsv } from '../app/insurance/insurance.service.server.ts';
import { addDays, tokyoDate } from '../app/i18n/dates.ts';

const unique = () => String(randomInt(100_000, 1_000_000));
const HEADER = '住民票コード,保険者番号,保険者名,記号,番号,枝番,資格取得日,資格喪失日,負担割合';
const csv = (...rows: string[]) => Buffer.from(`\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`);

const todoFor = (residentId: string, kind: string, due: string | null, extra = {}) =>
  createSystemTodo(appDatabase().db, {
    residentId,
    kind,
    titleJa: null,
    titleEn: null,
    dueDate: due,
    actionUrl: null,
    ...extra,
  });

test.describe('to-dos (やること)', () => {
  test.use({ locale: 'ja-JP' });

  test('statuses in words, mark done with a confirmation, other residents’ to-dos are 404', async ({
    page,
    browser,
    baseURL,
    checkPage,
  }) => {
    test.setTimeout(90_000);
    const resident = await enrolResident(page, '1972-06-15', { name: `Tanaka ${unique()}` });
    const today = tokyoDate(new Date());
    const overdue = await todoFor(resident.id, 'report_address', addDays(today, -3), {
      titleJa: '住所変更の届出',
      titleEn: 'Report your change of address',
      actionUrl: '/notices',
    });
    const soon = await todoFor(resident.id, 'book_card_pickup', addDays(today, 3), {
      titleJa: 'カードの受け取りを予約する',
      titleEn: 'Book your card pickup',
      actionUrl: 'https://www.city.miura.kanagawa.jp/',
    });
    const later = await todoFor(resident.id, 'renew_certificate', addDays(today, 40), {
      titleJa: '電子証明書を更新する',
    });
    const dismissMe = await todoFor(resident.id, 'survey', null, {
      titleJa: 'アンケートに答える',
      titleEn: 'Answer a survey',
    });

    await page.goto('/ja/todos');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('やること');
    await expect(page).toHaveTitle('やること | 窓口');
    const card = (id: string) => page.locator(`[data-todo-id="${id}"]`);
    await expect(card(overdue.id)).toContainText('期限切れ');
    await expect(card(overdue.id)).toContainText('期限を 3 日過ぎています');
    await expect(card(soon.id)).toContainText('未着手');
    await expect(card(soon.id)).toContainText('期限が近づいています（あと 3 日）');
    await expect(card(later.id)).toContainText('未着手');
    await expect(card(later.id)).not.toContainText('期限が近づいています');
    await expect(card(dismissMe.id)).toContainText('期限なし');
    // Open ones by due date: overdue, soon, later, then the one without a date.
    const order = await page
      .locator('[data-todo-id]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-todo-id')));
    expect(order).toEqual([overdue.id, soon.id, later.id, dismissMe.id]);
    // Where to do it: this site directly, another domain through the leaving notice.
    await expect(
      card(overdue.id).getByRole('link', { name: '手続きのページを開く' }),
    ).toHaveAttribute('href', '/ja/notices');
    await expect(
      card(soon.id).getByRole('link', { name: /www\.city\.miura\.kanagawa\.jp で手続きする/ }),
    ).toHaveAttribute(
      'href',
      `/ja/leaving?to=${encodeURIComponent('https://www.city.miura.kanagawa.jp/')}`,
    );
    await checkPage({ lang: 'ja' });

    // Mark done: a confirmation first, then the change.
    await page.getByRole('link', { name: /^完了にする\s*: 住所変更の届出$/ }).click();
    await expect(page).toHaveURL(new RegExp(`/ja/todos\\?confirm=${overdue.id}$`));
    const panel = page.getByRole('region', { name: '次のやることを完了にしますか？' });
    await expect(panel).toContainText('住所変更の届出');
    await expect(panel).toBeFocused();
    await checkPage({ lang: 'ja' });
    await panel.getByRole('button', { name: '完了にする' }).click();
    await expect(page).toHaveURL(new RegExp(`/ja/todos\\?updated=${overdue.id}$`));
    await expect(page.getByRole('status').filter({ hasText: '完了にしました' })).toContainText(
      '住所変更の届出',
    );
    await expect(card(overdue.id)).toContainText('完了');
    await expect(card(overdue.id)).not.toContainText('期限切れ');
    await expect(card(overdue.id).getByRole('link', { name: /^完了にする/ })).toHaveCount(0);

    // Dismiss works the same way, and cancelling changes nothing.
    await page.getByRole('link', { name: /^対応不要にする\s*: アンケートに答える$/ }).click();
    await page.getByRole('link', { name: 'やめる' }).click();
    await expect(page).toHaveURL(/\/ja\/todos$/);
    await expect(card(dismissMe.id)).toContainText('未着手');
    await page.getByRole('link', { name: /^対応不要にする\s*: アンケートに答える$/ }).click();
    await page
      .getByRole('region', { name: '次のやることを対応不要にしますか？' })
      .getByRole('button', { name: '対応不要にする' })
      .click();
    // (The card's own "対応不要にする" link contains the word: wait for the link to go.)
    await expect(card(dismissMe.id).getByRole('link', { name: /^対応不要にする/ })).toHaveCount(0);
    await expect(card(dismissMe.id)).toContainText('対応不要');

    // Submitting again (a double click, a resubmitted page) changes nothing more.
    const origin = { Origin: new URL(baseURL ?? '').origin };
    const again = await page.request.post('/ja/todos', {
      form: { intent: 'dismiss', todoId: overdue.id },
      headers: origin,
      maxRedirects: 0,
    });
    expect(again.status()).toBe(302);
    const { db } = appDatabase();
    const row = await db
      .selectFrom('todo')
      .select('status')
      .where('id', '=', overdue.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('done');
    const audits = await db
      .selectFrom('auditLog')
      .select(['action', 'actorType', 'onBehalfOfResidentId'])
      .where('targetId', 'in', [overdue.id, dismissMe.id])
      .execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['todo.dismiss', 'todo.done']);
    expect(audits.every((a) => a.onBehalfOfResidentId === resident.id)).toBe(true);

    // Another resident's to-do cannot be reached or changed.
    const other = await createResident();
    const theirs = await todoFor(other.id, 'book_card_pickup', addDays(today, 1), {
      titleJa: 'ほかの人のやること',
    });
    const seen = await page.request.get(`/ja/todos?confirm=${theirs.id}`, { maxRedirects: 0 });
    expect(seen.status()).toBe(404);
    const changed = await page.request.post('/ja/todos', {
      form: { intent: 'done', todoId: theirs.id },
      headers: origin,
      maxRedirects: 0,
    });
    expect(changed.status()).toBe(404);
    const theirRow = await db
      .selectFrom('todo')
      .select('status')
      .where('id', '=', theirs.id)
      .executeTakeFirstOrThrow();
    expect(theirRow.status).toBe('open');
    await expect(page.getByText('ほかの人のやること')).toHaveCount(0);

    // Without JavaScript the confirmation and the change work the same.
    const plain = await browser.newContext({
      baseURL,
      locale: 'ja-JP',
      javaScriptEnabled: false,
      storageState: await page.context().storageState(),
    });
    try {
      const noScript = await plain.newPage();
      await noScript.goto('/ja/todos');
      await noScript
        .getByRole('link', { name: /^完了にする\s*: カードの受け取りを予約する$/ })
        .click();
      await noScript.getByRole('button', { name: '完了にする' }).click();
      await expect(noScript).toHaveURL(new RegExp(`/ja/todos\\?updated=${soon.id}$`));
      await expect(noScript.locator(`[data-todo-id="${soon.id}"]`)).toContainText('完了');
    } finally {
      await plain.close();
    }

    // English: a to-do written only in Japanese keeps its language tag.
    const tomorrow = await todoFor(resident.id, 'submit_form', addDays(today, 1), {
      titleEn: 'Submit the form',
    });
    await page.goto('/en/todos');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('To-dos');
    await expect(card(later.id).locator('h3')).toHaveAttribute('lang', 'ja');
    await expect(card(later.id)).toContainText('Not started');
    await expect(card(tomorrow.id)).toContainText('Due soon: 1 day left');
    await expect(card(soon.id)).toContainText('Done');
    await checkPage({ lang: 'en' });
    await page.goto(`/en/todos?confirm=${later.id}`);
    await expect(page.getByRole('region', { name: 'Mark this to-do as done?' })).toBeVisible();
    await checkPage({ lang: 'en' });
  });
});

test.describe('insurance qualification (保険証資格情報)', () => {
  test.use({ locale: 'ja-JP' });

  test('a resident sees their records, or a clear message when none is registered', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(60_000);
    const resident = await enrolResident(page, '1981-09-09', { name: `Tanaka ${unique()}` });
    await page.goto('/ja/insurance');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('保険証資格情報');
    await expect(page.getByText('保険証資格情報は登録されていません。')).toBeVisible();
    await checkPage({ lang: 'ja' });
    await page.goto('/en/insurance');
    await expect(page.getByText('No health insurance qualification is registered')).toBeVisible();
    await checkPage({ lang: 'en' });

    const imported = await importInsuranceCsv(
      appDatabase().db,
      csv(
        `${resident.registerCode},01140017,全国健康保険協会　神奈川支部,1234,567,01,2019-04-01,2024-04-01,3割`,
        `${resident.registerCode},142109,三浦市国民健康保険,三浦,8901,,2024-04-01,,2割`,
      ),
    );
    expect(imported.ok).toBe(true);
    await page.goto('/ja/insurance');
    const current = page.getByRole('region', { name: '現在の資格' });
    await expect(current.getByRole('table')).toHaveCount(1);
    await expect(current).toContainText('三浦市国民健康保険');
    await expect(current.getByRole('row', { name: /負担割合/ })).toContainText('2割');
    await expect(current.getByRole('row', { name: /資格喪失日/ })).toContainText('現在有効');
    await expect(current.getByRole('row', { name: /資格取得日/ })).toContainText(
      '令和6年4月1日（2024年4月1日）',
    );
    const history = page.getByRole('region', { name: '過去の資格（履歴）' });
    await expect(history).toContainText('全国健康保険協会');
    await expect(history.getByRole('row', { name: /枝番/ })).toContainText('01');
    await checkPage({ lang: 'ja' });
    await page.goto('/en/insurance');
    await expect(
      page.getByRole('region', { name: 'Current qualification' }).getByRole('row', {
        name: /Co-payment/,
      }),
    ).toContainText('20%');
    await checkPage({ lang: 'en' });
  });

  test('staff import a CSV: a bad row is reported by line and nothing is imported; then a good file', async ({
    page,
    browser,
    baseURL,
    checkPage,
  }) => {
    test.setTimeout(90_000);
    const residentContext = await browser.newContext({ baseURL, locale: 'ja-JP' });
    const residentPage = await residentContext.newPage();
    const resident = await enrolResident(residentPage, '1990-01-20', {
      name: `Tanaka ${unique()}`,
    });
    const { db } = appDatabase();
    const stored = () =>
      db
        .selectFrom('insuranceQualification')
        .select(['insurerNumber', 'copaymentPercent'])
        .where('residentId', '=', resident.id)
        .execute();

    await signInAsNewStaff(page, ['insurance:read', 'insurance:import']);
    await page.goto('/ja/admin/insurance');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('保険証資格情報の管理');
    await checkPage({ lang: 'ja' });

    const good = `${resident.registerCode},06141234,三浦健康保険組合,55,1234567,02,2025-04-01,,３割`;
    await page.getByLabel('CSV ファイル', { exact: true }).setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: csv(
        good,
        `${resident.registerCode},06141234,三浦健康保険組合,55,1234567,02,2024-04-01,,5割`,
      ),
    });
    await page.getByRole('button', { name: '取り込む' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('誤りが 1 件あるため、何も取り込みませんでした。');
    await expect(page.getByTestId('import-errors')).toContainText(
      '3 行目：負担割合は 1割・2割・3割、または 10・20・30 で入力してください。',
    );
    await expect(page.getByTestId('import-errors')).toContainText('5割');
    expect(await stored()).toEqual([]);
    await checkPage({ lang: 'ja' });

    await page.getByLabel('CSV ファイル', { exact: true }).setInputFiles({
      name: 'good.csv',
      mimeType: 'text/csv',
      buffer: csv(good),
    });
    await page.getByRole('button', { name: '取り込む' }).click();
    await expect(page.getByRole('status').filter({ hasText: '取り込みました' })).toContainText(
      '1 行を取り込みました。追加 1 件、更新 0 件、変更なし 0 件です。',
    );
    expect(await stored()).toEqual([{ insurerNumber: '06141234', copaymentPercent: 30 }]);

    // One resident's record, found by register code.
    await page.getByLabel('住民票コード（11 桁）').fill(resident.registerCode);
    await page.getByRole('button', { name: '表示する' }).click();
    await expect(page).toHaveURL(new RegExp(`/ja/admin/residents/${resident.id}/insurance$`));
    const heading = `${resident.name} さんの保険証資格情報`;
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(page).toHaveTitle(`${heading} | 窓口`);
    await expect(page.getByRole('region', { name: '現在の資格' })).toContainText(
      '三浦健康保険組合',
    );
    await checkPage({ lang: 'ja' });
    await page.goto(`/en/admin/residents/${resident.id}/insurance`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      `Health insurance records of ${resident.name}`,
    );
    await checkPage({ lang: 'en' });
    await page.goto('/en/admin/insurance?code=00000000000');
    await expect(page.getByText('No resident has this resident register code.')).toBeVisible();
    await checkPage({ lang: 'en' });

    const audit = await db
      .selectFrom('auditLog')
      .select(['action', 'outcome'])
      .where((eb) =>
        eb.or([
          eb('action', '=', 'insurance.import'),
          eb.and([
            eb('action', '=', 'insurance.view'),
            eb('onBehalfOfResidentId', '=', resident.id),
          ]),
        ]),
      )
      .where('occurredAt', '>', new Date(Date.now() - 120_000))
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'insurance.import', outcome: 'failure' },
        { action: 'insurance.import', outcome: 'success' },
        { action: 'insurance.view', outcome: 'success' },
      ]),
    );

    // The resident now sees the record.
    await residentPage.goto('/ja/insurance');
    const current = residentPage.getByRole('region', { name: '現在の資格' });
    await expect(current).toContainText('三浦健康保険組合');
    await expect(current.getByRole('row', { name: /負担割合/ })).toContainText('3割');
    await residentContext.close();
  });

  test('viewing without the import permission: no form, and a posted file is refused', async ({
    page,
    baseURL,
  }) => {
    await signInAsNewStaff(page, ['insurance:read']);
    await page.goto('/ja/admin/insurance');
    await expect(
      page.getByText('ファイルを取り込むには「保険資格情報の取り込み」の権限も必要です。'),
    ).toBeVisible();
    await expect(page.getByLabel('CSV ファイル', { exact: true })).toHaveCount(0);
    const response = await page.request.post('/ja/admin/insurance?index', {
      multipart: { file: { name: 'x.csv', mimeType: 'text/csv', buffer: csv() } },
      headers: { Origin: new URL(baseURL ?? '').origin },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    const forbidden = await page.request.get(
      `/ja/admin/residents/${crypto.randomUUID()}/insurance`,
    );
    expect(forbidden.status()).toBe(404);
  });
});
