import { randomInt } from 'node:crypto';
import type { Browser } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { appDatabase, createResident, enrolResident, signInAsNewStaff } from './support/app.ts';
import { toTokyoDateTimeLocal } from '../app/i18n/dates.ts';

const unique = () => String(randomInt(100_000, 1_000_000));

/** A register code no resident has: test residents get random codes, never this one. */
const UNKNOWN_CODE = '00000000000';

/**
 * A municipality code of our own (valid check digit, prefix 9 which no prefecture uses), so
 * a municipality broadcast in this file reaches only this file's residents.
 */
function privateMunicipalityCode(): string {
  const head = `9${String(randomInt(10_000)).padStart(4, '0')}`;
  const sum = [...head].reduce((acc, c, i) => acc + Number(c) * (6 - i), 0);
  return `${head}${(11 - (sum % 11)) % 10}`;
}

const csv = (text: string) => ({
  name: 'audience.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(text),
});

/** 'YYYY-MM-DDTHH:mm' in Japan, `hours` from now. */
const tokyoLocal = (hours: number) => toTokyoDateTimeLocal(new Date(Date.now() + hours * 3600_000));

async function noticesTitled(title: string) {
  const { db } = appDatabase();
  return db
    .selectFrom('notice')
    .select(['id', 'kind', 'audienceSize', 'withdrawnAt'])
    .where((eb) => eb.or([eb('titleJa', '=', title), eb('titleEn', '=', title)]))
    .execute();
}

async function newStaffContext(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL, locale: 'ja-JP' });
  return { context, page: await context.newPage() };
}

test.describe('staff: notices', () => {
  test.use({ locale: 'ja-JP' });

  test('compose a notice for two residents from a CSV file, preview it, publish it', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(90_000);
    const n = unique();
    const a = await createResident();
    const b = await createResident();
    await signInAsNewStaff(page, ['notices:write']);

    await page.goto('/ja/admin/notices');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('お知らせの管理');
    await expect(page).toHaveTitle('お知らせの管理 | 窓口');
    await page.getByRole('link', { name: 'お知らせを作成する' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('お知らせの作成');
    await expect(page).toHaveTitle('お知らせの作成 | 窓口');

    // Nothing filled in: every problem is named next to its field and in the summary.
    await page.getByRole('button', { name: '公開する', exact: true }).click();
    const summary = page.getByRole('alert');
    await expect(summary).toContainText('差出人を選んでください');
    await expect(summary).toContainText('タイトルを入力してください');
    await expect(summary).toContainText('配信先を選んでください');
    await checkPage({ lang: 'ja' });

    // A body without its title, in English: refused, and what was typed stays.
    await page.getByLabel('差出人').selectOption('mhlw');
    await page.getByLabel('タイトル（日本語）').fill(`特定健診のご案内 ${n}`);
    await page
      .getByLabel('本文（日本語）')
      .fill('## 対象\n\n- 40 歳以上の方\n\n**3 月末**までに受診してください。');
    await page.getByLabel('本文（英語）').fill('Please book by **the end of March**.');
    await page.getByLabel('住民のリスト（CSV ファイル）').check();
    await page
      .getByLabel('住民票コードの CSV ファイル')
      .setInputFiles(csv(`住民票コード\r\n${a.registerCode}\r\n\r\n${b.registerCode}\r\n`));
    await page.getByRole('button', { name: 'プレビュー' }).click();
    await expect(page.getByRole('alert')).toContainText(
      '英語の本文があるときは、英語のタイトルも入力してください',
    );
    await expect(page.getByLabel('本文（英語）')).toHaveValue(
      'Please book by **the end of March**.',
    );

    await page.getByLabel('タイトル（英語）').fill(`Health check ${n}`);
    await page.getByRole('button', { name: 'プレビュー' }).click();
    const preview = page.getByRole('region', { name: 'プレビュー', exact: true });
    await expect(preview).toBeVisible();
    await expect(preview).toContainText('住民のリスト：2 人');
    const jaPage = preview.getByRole('region', { name: '日本語のページでの表示' });
    await expect(jaPage.getByRole('heading', { name: `特定健診のご案内 ${n}` })).toBeVisible();
    await expect(jaPage.getByRole('heading', { name: '対象' })).toBeVisible();
    await expect(jaPage.locator('strong')).toHaveText('3 月末');
    await expect(jaPage).toContainText('厚生労働省');
    const enPage = preview.getByRole('region', { name: '英語のページでの表示' });
    await expect(enPage.getByRole('heading', { name: `Health check ${n}` })).toBeVisible();
    await expect(enPage).toContainText('Ministry of Health, Labour and Welfare');
    // Everything typed is still there, and the checked list is kept for the next step.
    await expect(page.getByLabel('タイトル（日本語）')).toHaveValue(`特定健診のご案内 ${n}`);
    await expect(page.getByTestId('audience-carried')).toContainText('2 人');
    expect(await noticesTitled(`特定健診のご案内 ${n}`)).toEqual([]);
    await checkPage({ lang: 'ja' });

    await page.getByRole('button', { name: '公開する', exact: true }).click();
    await expect(page).toHaveURL(/\/ja\/admin\/notices\/[0-9a-f-]{36}\?published=1$/);
    await expect(page.locator('.notice[role="status"]')).toHaveText('お知らせを公開しました。');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`特定健診のご案内 ${n}`);
    await expect(page).toHaveTitle(`特定健診のご案内 ${n} | 窓口`);
    await expect(page.getByRole('row', { name: /状態/ })).toContainText('公開中');
    await expect(page.getByRole('row', { name: /配信先/ })).toContainText('住民のリスト：2 人');
    await expect(page.getByRole('heading', { name: '対象' })).toBeVisible();
    await checkPage({ lang: 'ja' });

    const noticeId = new URL(page.url()).pathname.split('/').at(-1)!;
    const { db } = appDatabase();
    const recipients = await db
      .selectFrom('noticeRecipient')
      .select('residentId')
      .where('noticeId', '=', noticeId)
      .execute();
    expect(recipients.map((r) => r.residentId).sort()).toEqual([a.id, b.id].sort());
    const audit = await db
      .selectFrom('auditLog')
      .select(['actorType', 'details'])
      .where('action', '=', 'notice.publish')
      .where('targetId', '=', noticeId)
      .execute();
    expect(audit).toEqual([
      {
        actorType: 'staff',
        details: expect.objectContaining({ audience: 'list', size: 2, scheduled: false }),
      },
    ]);

    await page.goto(`/en/admin/notices/${noticeId}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Health check ${n}`);
    await expect(page.getByRole('row', { name: /Audience/ })).toContainText('List of residents: 2');
    await checkPage({ lang: 'en' });

    await page.goto('/ja/admin/notices');
    const row = page.locator(`tr[data-notice-id="${noticeId}"]`);
    await expect(row).toContainText(`特定健診のご案内 ${n}`);
    await expect(row).toContainText('厚生労働省');
    await expect(row).toContainText('公開中');
    await checkPage({ lang: 'ja' });
    await page.goto('/en/admin/notices');
    await expect(page.locator(`tr[data-notice-id="${noticeId}"]`)).toContainText(
      `Health check ${n}`,
    );
    await checkPage({ lang: 'en' });
  });

  test('a list with bad rows names each line and why, and nothing is created', async ({
    page,
    checkPage,
  }) => {
    const n = unique();
    const a = await createResident();
    await signInAsNewStaff(page, ['notices:write']);
    await page.goto('/ja/admin/notices/new');
    await page.getByLabel('差出人').selectOption('municipality');
    await page.getByLabel('タイトル（日本語）').fill(`リスト確認 ${n}`);
    await page.getByLabel('本文（日本語）').fill('本文');
    await page.getByLabel('住民のリスト（CSV ファイル）').check();
    await page
      .getByLabel('住民票コードの CSV ファイル')
      .setInputFiles(
        csv(`住民票コード\n${a.registerCode}\n12345\n${UNKNOWN_CODE}\n${a.registerCode}\n`),
      );
    await page.getByRole('button', { name: '公開する', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('ファイルの 3 行に問題があります');
    const report = page.getByRole('region', { name: 'ファイルの問題' });
    await expect(report).toContainText('4 行のうち 3 行に問題があるため、何も作成していません');
    await expect(report.getByRole('row', { name: /^3 行目/ })).toContainText(
      '住民票コードが 11 桁の数字ではありません',
    );
    await expect(report.getByRole('row', { name: /^4 行目/ })).toContainText(
      'この住民票コードの住民が見つかりません',
    );
    await expect(report.getByRole('row', { name: /^5 行目/ })).toContainText(
      '2 行目と同じ住民票コードです',
    );
    await expect(page.getByLabel('タイトル（日本語）')).toHaveValue(`リスト確認 ${n}`);
    await checkPage({ lang: 'ja' });
    expect(await noticesTitled(`リスト確認 ${n}`)).toEqual([]);

    // The English page, with its errors shown.
    await page.goto('/en/admin/notices/new');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Write a notice');
    await page.getByLabel('Title in English').fill(`List check ${n}`);
    await page.getByLabel('Residents of a municipality').check();
    await page.getByLabel('Municipality code').fill('142108');
    await page.getByLabel('Publish at a chosen time').check();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Choose a sender');
    await expect(alert).toContainText('Enter an English body for the English title');
    await expect(alert).toContainText('Enter the 6-digit local government code');
    await expect(alert).toContainText('Enter the publication time');
    await checkPage({ lang: 'en' });
    expect(await noticesTitled(`List check ${n}`)).toEqual([]);
  });

  test('a form submitted twice publishes one notice', async ({ page, baseURL }) => {
    const n = unique();
    const a = await createResident();
    await signInAsNewStaff(page, ['notices:write']);
    await page.goto('/ja/admin/notices/new');
    const key = await page.locator('input[name="idempotencyKey"]').inputValue();
    const submit = () =>
      page.request.post('/ja/admin/notices/new', {
        multipart: {
          intent: 'publish',
          idempotencyKey: key,
          sender: 'operator',
          titleJa: `二重送信 ${n}`,
          bodyJa: '本文',
          audience: 'list',
          audienceCodes: a.registerCode,
          publishWhen: 'now',
        },
        headers: { Origin: new URL(baseURL ?? '').origin },
        maxRedirects: 0,
      });
    const [first, second] = await Promise.all([submit(), submit()]);
    const third = await submit();
    for (const response of [first, second, third]) expect(response.status()).toBe(302);
    const location = first.headers()['location'];
    expect(location).toMatch(/^\/ja\/admin\/notices\/[0-9a-f-]{36}\?published=1$/);
    expect(second.headers()['location']).toBe(location);
    expect(third.headers()['location']).toBe(location);
    const notices = await noticesTitled(`二重送信 ${n}`);
    expect(notices).toHaveLength(1);
    const { db } = appDatabase();
    const audits = await db
      .selectFrom('auditLog')
      .select('id')
      .where('action', '=', 'notice.publish')
      .where('targetId', '=', notices[0]!.id)
      .execute();
    expect(audits).toHaveLength(1);
  });

  test('a broadcast with markup is inert for residents; scheduled waits; withdrawn disappears', async ({
    page,
    browser,
    baseURL,
    checkPage,
  }) => {
    test.setTimeout(120_000);
    const n = unique();
    const municipality = privateMunicipalityCode();
    const residentContext = await browser.newContext({ baseURL, locale: 'ja-JP' });
    try {
      const resident = await residentContext.newPage();
      const dialogs: string[] = [];
      resident.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const enrolled = await enrolResident(resident, '1975-06-15', {
        name: `試験　通知${unique()}`,
        municipalityCode: municipality,
        municipalityName: '試験市',
      });

      await signInAsNewStaff(page, ['notices:write']);
      const title = `<script>window.__pwned=1</script>お知らせ ${n}`;
      const body = `<script>alert("body")</script>\n\n<img src=x onerror="alert('img')">本文 ${n}\n\n[リンク](javascript:alert(1))`;
      await page.goto('/ja/admin/notices/new');
      await page.getByLabel('差出人').selectOption('municipality');
      await page.getByLabel('タイトル（日本語）').fill(title);
      await page.getByLabel('本文（日本語）').fill(body);
      await page.getByLabel('市区町村の住民').check();
      await page.getByLabel('市区町村コード').fill(municipality);
      await page.getByRole('button', { name: 'プレビュー' }).click();
      const preview = page.getByRole('region', { name: 'プレビュー', exact: true });
      await expect(preview).toContainText(`試験市（${municipality}）の住民：現在 1 人`);
      await expect(preview.getByRole('heading', { name: title }).first()).toBeVisible();
      await page.getByRole('button', { name: '公開する', exact: true }).click();
      await expect(page).toHaveURL(/\?published=1$/);
      const detailUrl = new URL(page.url()).pathname;

      // Scheduled for tomorrow, to everyone: not in any inbox yet.
      await page.goto('/ja/admin/notices/new');
      await page.getByLabel('差出人').selectOption('operator');
      await page.getByLabel('タイトル（日本語）').fill(`明日のお知らせ ${n}`);
      await page.getByLabel('本文（日本語）').fill('明日公開します。');
      await page.getByLabel('全員（運営主体のお知らせ）').check();
      await page.getByLabel('日時を指定して公開する').check();
      await page.getByLabel('公開する日時', { exact: true }).fill(tokyoLocal(24));
      await page.getByRole('button', { name: '公開する', exact: true }).click();
      await expect(page.locator('.notice[role="status"]')).toContainText(
        'お知らせの公開を予約しました',
      );
      await expect(page.getByRole('row', { name: /状態/ })).toContainText('公開予定');
      const scheduledUrl = new URL(page.url()).pathname;

      await resident.goto('/ja/notices');
      const link = resident.getByRole('link', { name: title });
      await expect(link).toBeVisible();
      await expect(resident.getByText(`明日のお知らせ ${n}`)).toHaveCount(0);
      await link.click();
      await expect(resident.getByRole('heading', { level: 1 })).toHaveText(title);
      const main = resident.locator('main');
      await expect(main).toContainText(`<script>alert("body")</script>`);
      await expect(main).toContainText(`<img src=x onerror="alert('img')">本文 ${n}`);
      await expect(main.locator('script')).toHaveCount(0);
      await expect(main.locator('img')).toHaveCount(0);
      await expect(main.locator('a[href^="javascript"]')).toHaveCount(0);
      expect(
        await resident.evaluate(() => (window as { __pwned?: number }).__pwned),
      ).toBeUndefined();
      const residentNoticeUrl = new URL(resident.url()).pathname;

      // Withdraw, after a confirmation that works without JavaScript.
      await page.goto(detailUrl);
      await page.getByRole('link', { name: '取り下げる' }).click();
      await expect(page).toHaveURL(/\?confirm=withdraw$/);
      await expect(
        page.getByRole('heading', { name: 'このお知らせを取り下げますか？' }),
      ).toBeFocused();
      await checkPage({ lang: 'ja' });
      await page.getByRole('button', { name: '取り下げる' }).click();
      await expect(page.locator('.notice[role="status"]')).toHaveText(
        'お知らせを取り下げました。住民の受信箱には表示されません。',
      );
      await expect(page.getByRole('row', { name: /状態/ })).toContainText('取り下げ済み');
      await expect(page.getByRole('link', { name: '取り下げる' })).toHaveCount(0);

      await resident.goto('/ja/notices');
      await expect(resident.getByRole('link', { name: title })).toHaveCount(0);
      const gone = await resident.request.get(residentNoticeUrl, { maxRedirects: 0 });
      expect(gone.status()).toBe(404);
      expect(dialogs).toEqual([]);

      const { db } = appDatabase();
      const withdrawn = await db
        .selectFrom('auditLog')
        .select('actorType')
        .where('action', '=', 'notice.withdraw')
        .where('targetId', '=', detailUrl.split('/').at(-1)!)
        .execute();
      expect(withdrawn).toEqual([{ actorType: 'staff' }]);

      // Without JavaScript: preview and publish a list notice (the checked list travels with
      // the page, the file need not be chosen again), and withdraw the scheduled broadcast
      // so it never reaches other tests' inboxes.
      const noScript = await browser.newContext({
        baseURL,
        locale: 'ja-JP',
        javaScriptEnabled: false,
        storageState: await page.context().storageState(),
      });
      try {
        const plain = await noScript.newPage();
        await plain.goto('/ja/admin/notices/new');
        await plain.getByLabel('差出人').selectOption('soumu');
        await plain.getByLabel('タイトル（英語）').fill(`Without scripts ${n}`);
        await plain.getByLabel('本文（英語）').fill('Body');
        await plain.getByLabel('住民のリスト（CSV ファイル）').check();
        await plain
          .getByLabel('住民票コードの CSV ファイル')
          .setInputFiles(csv(`${enrolled.registerCode}\n`));
        await plain.getByRole('button', { name: 'プレビュー' }).click();
        await expect(plain.getByTestId('audience-carried')).toContainText('1 人');
        await expect(plain.getByLabel('タイトル（英語）')).toHaveValue(`Without scripts ${n}`);
        await plain.getByRole('button', { name: '公開する', exact: true }).click();
        await expect(plain).toHaveURL(/\?published=1$/);
        expect(await noticesTitled(`Without scripts ${n}`)).toEqual([
          expect.objectContaining({ kind: 'targeted', audienceSize: 1 }),
        ]);

        await plain.goto(scheduledUrl);
        await plain.getByRole('link', { name: '取り下げる' }).click();
        await expect(plain).toHaveURL(/\?confirm=withdraw$/);
        await plain.getByRole('button', { name: '取り下げる' }).click();
        await expect(plain.getByRole('row', { name: /状態/ })).toContainText('取り下げ済み');
      } finally {
        await noScript.close();
      }
      await resident.goto('/ja/notices');
      await expect(resident.getByRole('link', { name: `Without scripts ${n}` })).toBeVisible();
    } finally {
      await residentContext.close();
    }
  });

  test('staff without the permission get 403; unknown notices are 404', async ({
    page,
    baseURL,
  }) => {
    await signInAsNewStaff(page, ['residents:read']);
    for (const path of ['/ja/admin/notices', '/ja/admin/notices/new', '/ja/admin/todos/new']) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(403);
    }
    const post = await page.request.post('/ja/admin/notices/new', {
      multipart: { intent: 'publish' },
      headers: { Origin: new URL(baseURL ?? '').origin },
      maxRedirects: 0,
    });
    expect(post.status()).toBe(403);

    const other = await newStaffContext(page.context().browser()!, baseURL);
    try {
      await signInAsNewStaff(other.page, ['notices:write']);
      const todo = await other.page.request.get('/ja/admin/todos/new', { maxRedirects: 0 });
      expect(todo.status()).toBe(403);
      for (const path of [`/ja/admin/notices/${crypto.randomUUID()}`, '/ja/admin/notices/nope']) {
        const response = await other.page.request.get(path, { maxRedirects: 0 });
        expect(response.status(), path).toBe(404);
      }
    } finally {
      await other.context.close();
    }
  });
});

test.describe('staff: to-dos for a list of residents', () => {
  test.use({ locale: 'ja-JP' });

  test('create a to-do for two residents from a CSV file, once', async ({
    page,
    baseURL,
    checkPage,
  }) => {
    const n = unique();
    const a = await createResident();
    const b = await createResident();
    await signInAsNewStaff(page, ['todos:write']);
    await page.goto('/ja/admin/todos/new');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('やることの作成');
    await expect(page).toHaveTitle('やることの作成 | 窓口');
    await checkPage({ lang: 'ja' });

    await page.getByLabel('タイトル（日本語）').fill(`受取の予約 ${n}`);
    await page.getByLabel('手続きをする場所（リンク）').fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'やることを作成する' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('期限を入力してください');
    await expect(alert).toContainText('「/」で始まるこのサイトのパス');
    await expect(alert).toContainText('住民票コードの CSV ファイルを選んでください');
    await checkPage({ lang: 'ja' });

    const due = tokyoLocal(24 * 14).slice(0, 10);
    await page.getByLabel('説明（日本語、任意）').fill('カードの受け取りを予約してください。');
    await page.getByLabel('期限').fill(due);
    await page.getByLabel('手続きをする場所（リンク）').fill('/my');
    await page
      .getByLabel('住民票コードの CSV ファイル')
      .setInputFiles(csv(`register_code,name\n${a.registerCode},A\n${b.registerCode},B\n`));
    await page.getByRole('button', { name: 'やることを作成する' }).click();
    await expect(page).toHaveURL(/\/ja\/admin\/todos\/new\?created=2$/);
    await expect(page.locator('.notice[role="status"]')).toHaveText(
      '2 人の住民にやることを作成しました。',
    );

    const { db } = appDatabase();
    const todos = () =>
      db
        .selectFrom('todo')
        .select(['residentId', 'source', 'dueDate', 'actionUrl', 'descriptionJa', 'titleEn'])
        .where('titleJa', '=', `受取の予約 ${n}`)
        .execute();
    const created = await todos();
    expect(created.map((t) => t.residentId).sort()).toEqual([a.id, b.id].sort());
    for (const t of created)
      expect(t).toMatchObject({
        source: 'staff',
        dueDate: due,
        actionUrl: '/my',
        descriptionJa: 'カードの受け取りを予約してください。',
        titleEn: null,
      });
    const audit = await db
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'todo.create_bulk')
      .where('actorType', '=', 'staff')
      .orderBy('seq', 'desc')
      .limit(20)
      .execute();
    expect(audit.map((r) => r.details)).toContainEqual(
      expect.objectContaining({ residents: 2, created: 2, dueDate: due }),
    );

    // The same form sent twice: nothing is created twice.
    const key = await page.locator('input[name="idempotencyKey"]').inputValue();
    const submit = () =>
      page.request.post('/ja/admin/todos/new', {
        multipart: {
          idempotencyKey: key,
          titleJa: `二重 ${n}`,
          dueDate: due,
          actionUrl: 'https://example.jp/apply',
          audienceCodes: `${a.registerCode}\n${b.registerCode}`,
        },
        headers: { Origin: new URL(baseURL ?? '').origin },
        maxRedirects: 0,
      });
    const responses = await Promise.all([submit(), submit()]);
    for (const r of responses) expect(r.status()).toBe(302);
    expect((await submit()).status()).toBe(302);
    const twice = await db
      .selectFrom('todo')
      .select('residentId')
      .where('titleJa', '=', `二重 ${n}`)
      .execute();
    expect(twice).toHaveLength(2);

    await page.goto('/en/admin/todos/new');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create a to-do');
    await page.getByRole('button', { name: 'Create the to-do' }).click();
    await expect(page.getByRole('alert')).toContainText(
      'Enter a title in Japanese, in English or in both',
    );
    await checkPage({ lang: 'en' });
  });
});
