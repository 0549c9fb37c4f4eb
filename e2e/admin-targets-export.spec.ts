import { readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect as baseExpect } from './fixtures.ts';
import { accountOfInvitation, appDatabase, signInAsNewStaff } from './support/app.ts';
import { confirmTargetImport } from '../app/targets/target-import.service.server.ts';
import { stageTargetFile } from '../test/support/target-import.ts';
import { DEFAULT_CITY } from '../test/support/targets.ts';

// Each step is a full server round trip on a busy two-core machine: allow for it.
const expect = baseExpect.configure({ timeout: 10_000 });

const HEADER = '申請書ID,製造管理番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所';

/**
 * These list lines (`{id}` made unique) imported into the server's city, or another, through
 * the import services; the file's name is unique so the page's import list finds it by typing.
 */
async function importTargets(accountId: string, lines: string[], city = DEFAULT_CITY) {
  const stamp = `${Date.now()}${randomInt(1000, 10000)}`;
  const fileName = `cs-${stamp}.csv`;
  const { db, connection } = appDatabase();
  const actor = {
    actorType: 'staff' as const,
    actorId: accountId,
    onBehalfOfResidentId: null,
    ip: null,
  };
  const staged = await stageTargetFile(connection, actor, {
    municipalityCode: city,
    fileName,
    bytes: new TextEncoder().encode(
      [HEADER, ...lines.map((l) => l.replaceAll('{id}', stamp))].join('\r\n') + '\r\n',
    ),
  });
  if (staged.outcome !== 'staged') throw new Error(`not staged: ${JSON.stringify(staged)}`);
  await confirmTargetImport(db, actor, { municipalityCode: city, importId: staged.importId });
  return { city, fileName, importId: staged.importId, stamp };
}

/** Picks an import by typing its file's name into the focused list, as a keyboard user does. */
async function chooseImport(
  page: Page,
  label: string,
  chosen: { fileName: string; importId: string },
) {
  await expect(page.getByLabel(label)).toBeFocused();
  await page.keyboard.type(chosen.fileName);
  await expect(page.getByLabel(label)).toHaveValue(chosen.importId);
}

async function downloadWithKeyboard(page: Page, link: string) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.keyboard.press('Enter'),
  ]);
  await expect(page.getByRole('link', { name: link })).toBeFocused();
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

test.describe('exporting card-pickup targets', () => {
  test('ja: choose by keyboard, CP932 refused for 𠮷, UTF-8 downloaded with every name', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(60_000);
    const invite = await signInAsNewStaff(page, ['targets:export']);
    const accountId = await accountOfInvitation(invite.id);
    const list = await importTargets(accountId, [
      'X{id}1,MN-X{id}1,𠮷田 一郎,ヨシダ イチロウ,S55.12.3,男,238-0101,三浦市南下浦町上宮田1',
      'X{id}2,MN-X{id}2,髙橋 花子,,1990-01-02,女,,三浦市初声町',
    ]);
    // Another city's list: not offered on this city's page.
    const theirs = await importTargets(
      accountId,
      ['Z{id}1,MN-Z{id}1,他市 一,,1970-01-01,男,,横須賀市'],
      '990601',
    );

    await page.getByRole('link', { name: '交付対象者の書き出し' }).click();
    await expect(page).toHaveURL(/\/ja\/admin\/targets\/export$/);
    await expect(page).toHaveTitle('交付対象者の書き出し | 窓口');
    await checkPage({ lang: 'ja' });

    // No city to choose: state "取り込み済み" one down the list, the import by typing, then CP932.
    await expect(page.getByLabel('市区町村コード')).toHaveCount(0);
    await expect(page.locator(`option[value="${theirs.importId}"]`)).toHaveCount(0);
    await page.getByLabel('状態').focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByLabel('状態')).toHaveValue('imported');
    await page.keyboard.press('Tab');
    await chooseImport(page, '取り込み', list);
    await page.keyboard.press('Tab'); // the checked radio button: UTF-8
    await expect(page.getByRole('radio', { name: /^UTF-8/ })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('radio', { name: /^CP932/ })).toBeChecked();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: '件数を確認する' })).toBeFocused();
    await page.keyboard.press('Enter');

    const refused = page.getByRole('status').filter({ hasText: 'CP932 では書き出せません' });
    await expect(refused).toBeFocused();
    await expect(refused).toContainText('1 件の交付対象者に、CP932 で表せない文字（𠮷）');
    await expect(page.getByRole('link', { name: /CSV をダウンロード/ })).toHaveCount(0);
    await checkPage({ lang: 'ja' });

    // Back to UTF-8 and check again.
    await page.getByRole('radio', { name: /^CP932/ }).focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const ready = page.getByRole('status').filter({ hasText: '書き出しの準備ができました' });
    await expect(ready).toBeFocused();
    await expect(ready).toContainText('2 件の交付対象者を UTF-8 で書き出します。');
    await page.keyboard.press('Tab');
    const { name, bytes } = await downloadWithKeyboard(page, 'CSV をダウンロード（2 件）');
    expect(name).toMatch(new RegExp(`^targets-${DEFAULT_CITY}-\\d{8}\\.csv$`));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, first, second] = bytes.toString('utf8').slice(1).split('\r\n');
    expect(header).toMatch(
      /^申請書ID,製造管理番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所,状態,/,
    );
    expect(first).toMatch(
      new RegExp(
        `^X${list.stamp}1,MN-X${list.stamp}1,𠮷田 一郎,ヨシダ イチロウ,1980-12-03,男,2380101,三浦市南下浦町上宮田1,imported,`,
      ),
    );
    expect(second).toMatch(
      new RegExp(
        `^X${list.stamp}2,MN-X${list.stamp}2,髙橋 花子,,1990-01-02,女,,三浦市初声町,imported,`,
      ),
    );
    await checkPage({ lang: 'ja' });
  });

  test('en: a CP932 file for the CS terminal', async ({ page, checkPage }) => {
    test.setTimeout(60_000);
    const invite = await signInAsNewStaff(page, ['targets:export']);
    const accountId = await accountOfInvitation(invite.id);
    const list = await importTargets(accountId, [
      'Y{id}1,MN-Y{id}1,髙橋 太郎,タカハシ タロウ,1980-12-03,男,,三浦市城山町',
    ]);
    const theirs = await importTargets(
      accountId,
      ['Z{id}1,MN-Z{id}1,他市 一,,1970-01-01,男,,横須賀市'],
      '990602',
    );
    // A download address with a wrong choice comes back to the page, which says why.
    await page.goto('/en/admin/targets/export.csv?state=lost&encoding=utf-8');
    await expect(page).toHaveURL(/\/en\/admin\/targets\/export\?state=lost&encoding=utf-8$/);
    const summary = page.getByRole('alert');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link', { name: /^State: Choose one/ })).toBeVisible();
    await expect(page.getByLabel('State')).toHaveAttribute('aria-invalid', 'true');
    // Another city's import is not found, on the page and as a download.
    const missing = await page.goto(`/en/admin/targets/export.csv?importId=${theirs.importId}`);
    expect(missing?.status()).toBe(404);

    const response = await page.goto('/en/admin/targets/export');
    expect(response?.headers()['cache-control']).toContain('no-store');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Export card-pickup targets');
    await checkPage({ lang: 'en' });

    await page.getByLabel('Import').focus();
    await chooseImport(page, 'Import', list);
    await page.getByRole('radio', { name: /^UTF-8/ }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const ready = page.getByRole('status').filter({ hasText: 'Ready to export' });
    await expect(ready).toBeFocused();
    await expect(ready).toContainText('Targets to export: 1, in CP932.');
    await page.keyboard.press('Tab');
    const { name, bytes } = await downloadWithKeyboard(page, 'Download CSV (targets: 1)');
    expect(name).toMatch(new RegExp(`^targets-${DEFAULT_CITY}-\\d{8}-cp932\\.csv$`));
    expect([...bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    // Not UTF-8: the CS terminal's Shift_JIS (Windows-31J).
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const [header, row] = new TextDecoder('shift_jis', { fatal: true }).decode(bytes).split('\r\n');
    expect(header).toMatch(/^申請書ID,製造管理番号,氏名,/);
    await checkPage({ lang: 'en' });
    expect(row).toMatch(
      new RegExp(
        `^Y${list.stamp}1,MN-Y${list.stamp}1,髙橋 太郎,タカハシ タロウ,1980-12-03,男,,三浦市城山町,imported,`,
      ),
    );
  });
});
