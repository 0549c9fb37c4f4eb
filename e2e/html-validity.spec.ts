import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import {
  appDatabase,
  createLetter,
  createResident,
  enrolResident,
  signInAsNewStaff,
} from './support/app.ts';
import { seedAudit, seedInbox } from './support/realistic-data.ts';
import { insertTargets } from '../test/support/targets.ts';
import { permissions } from '../app/identity/permissions.ts';
import { weekStartOf } from '../app/reservations/booking-rules.ts';
import { tokyoDate } from '../app/i18n/dates.ts';
import { createSystemTodo } from '../app/todos/todo.service.server.ts';
import { importInsuranceCsv } from '../app/insurance/insurance.service.server.ts';
import { staffWithSession } from '../test/support/routes.ts';
import { importTargets, moveTargetThrough } from '../test/support/targets.ts';
import { insertFacility, insertSlot, futureWorkingMorning } from '../test/support/reservations.ts';

/*
 * Every page, as the server sends it, is valid HTML by the Nu HTML checker (vnu.jar, the W3C
 * validator's engine; it needs Java). Browsers repair invalid markup by guessing, and
 * assistive technology reads what they guessed. Pages are fetched signed out, as a resident
 * and as a member of staff with every permission, in both languages, then checked in one run.
 */

const vnuJar = join(
  dirname(createRequire(import.meta.url).resolve('vnu-jar/package.json')),
  'build/dist/vnu.jar',
);

type VnuMessage = {
  type: string;
  subType?: string;
  url: string;
  lastLine?: number;
  message: string;
  extract?: string;
};

function validate(files: Map<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-vnu-'));
  try {
    const paths = [...files].map(([name, html], i) => {
      const path = join(dir, `${String(i).padStart(3, '0')}.html`);
      writeFileSync(path, html);
      return [path, name] as const;
    });
    const nameOf = new Map(paths.map(([path, name]) => [`file:${path}`, name]));
    const run = spawnSync(
      'java',
      ['-jar', vnuJar, '--format', 'json', '--errors-only', ...paths.map(([p]) => p)],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (run.error) throw run.error;
    const { messages } = JSON.parse(run.stderr || '{"messages":[]}') as { messages: VnuMessage[] };
    return messages
      .filter((m) => m.type === 'error' || m.subType === 'fatal')
      .map(
        (m) =>
          `${nameOf.get(m.url) ?? m.url}:${m.lastLine ?? '?'} ${m.message} ${JSON.stringify(m.extract ?? '')}`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function collect(
  request: APIRequestContext,
  who: string,
  paths: string[],
  into: Map<string, string>,
) {
  for (const lang of ['ja', 'en']) {
    for (const path of paths) {
      const url = `/${lang}/${path}`;
      const response = await request.get(url, { maxRedirects: 0 });
      expect(
        response.headers()['content-type'] ?? '',
        `${who} ${url}: ${response.status()} ${response.headers()['location'] ?? ''}`,
      ).toMatch(/^text\/html/);
      into.set(`${who} ${url} (${response.status()})`, await response.text());
    }
  }
}

test('every page is valid HTML (Nu HTML checker), signed out, as a resident and as staff', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const { db, connection } = appDatabase();
  const pages = new Map<string, string>();

  // Signed out.
  await collect(
    page.context().request,
    'signed out',
    [
      '',
      'sign-in',
      'first-access',
      'admin/sign-in',
      'developers/api',
      `leaving?to=${encodeURIComponent('https://www.city.miura.kanagawa.jp/')}`,
      'leaving?to=nowhere',
      'proxy/accept?token=expired',
      'sso?ticket=unknown',
      'reservations/sign-in',
      'reservations/qr?token=forged',
      'reservations/guide',
      'no-such-page',
    ],
    pages,
  );

  // A resident with notices, to-dos and insurance records.
  const resident = await enrolResident(page, '1957-01-23', { name: '山﨑　花子' });
  const [noticeId] = await seedInbox(resident.id, 'vnu', 22);
  await createSystemTodo(db, {
    residentId: resident.id,
    kind: 'report_address',
    titleJa: '住所変更の届出',
    titleEn: 'Report your change of address',
    dueDate: '2026-12-24',
    actionUrl: 'https://www.city.miura.kanagawa.jp/',
  });
  const imported = await importInsuranceCsv(
    db,
    Buffer.from(
      '\uFEFF住民票コード,保険者番号,保険者名,記号,番号,枝番,資格取得日,資格喪失日,負担割合\r\n' +
        `${resident.registerCode},01140017,全国健康保険協会　神奈川支部,1234,567,01,2019-04-01,2024-04-01,3割\r\n` +
        `${resident.registerCode},142109,三浦市国民健康保険,三浦,8901,,2024-04-01,,2割\r\n`,
    ),
  );
  expect(imported.ok).toBe(true);
  await collect(
    page.context().request,
    'resident',
    [
      'my',
      'my/app',
      'my/notifications',
      'my/proxies',
      'my/security',
      'notices',
      'notices?show=unread&sender=mhlw&q=vnu',
      `notices/${noticeId}`,
      'todos',
      'insurance',
      'app/authorize?response_type=code',
    ],
    pages,
  );

  // Staff with every permission, on pages full of data.
  // A card-pickup target, so the letters page shows its forms.
  await insertTargets(db, { city: '142107', count: 1, state: 'setup_done' });
  const staffContext = await browser.newContext({ baseURL });
  const staffPage = await staffContext.newPage();
  await signInAsNewStaff(staffPage, [...permissions]);
  await seedAudit(20);
  const other = await createResident({ name: '髙橋　試験' });
  const letter = await createLetter(other.id);
  // A card-pickup target, booked, so its page shows every panel.
  const importer = await staffWithSession(db, ['targets:import']);
  const [target] = await importTargets(connection, importer.accountId, [
    {
      name: '髙橋　花子',
      nameKana: 'タカハシ　ハナコ',
      birthDate: 'S55.12.3',
      address: '三浦市城山町1-1',
    },
  ]);
  await moveTargetThrough(db, importer.accountId, target!.id, [
    'setup_done',
    'letter_printed',
    'booked',
  ]);
  // A facility with a published slot next week, for the staff calendar's pages.
  const facilityId = await insertFacility(db, '142107');
  const slotAt = futureWorkingMorning(7);
  await insertSlot(db, '142107', facilityId, { startsAt: slotAt, capacity: 4 });
  const slotWeek = weekStartOf(tokyoDate(slotAt));
  await collect(
    staffContext.request,
    'staff',
    [
      'admin',
      'admin/residents',
      `admin/residents?q=${encodeURIComponent('山崎')}`,
      `admin/residents/${resident.id}`,
      `admin/residents/${resident.id}/insurance`,
      `admin/letters/${letter.id}/print`,
      'admin/notices',
      'admin/notices/new',
      `admin/notices/${noticeId}`,
      'admin/delivery',
      'admin/delivery?from=2026-13&to=x',
      'admin/todos/new',
      'admin/insurance',
      `admin/insurance?code=00000000000`,
      `admin/residents/${other.id}`,
      'admin/clients',
      'admin/staff',
      'admin/groups',
      'admin/audit',
      'admin/audit?action=Bad-Action&from=2026-12-02&to=2026-12-01',
      'admin/mail',
      'admin/maintenance',
      'admin/browser-errors',
      'admin/operations/reports',
      'admin/page-views',
      'admin/targets',
      `admin/targets?name=${encodeURIComponent('たかはし')}`,
      'admin/targets?birthDate=R0.1.1',
      `admin/targets/${target!.id}`,
      `admin/targets/${target!.id}?confirm=cancelled`,
      'admin/targets/lookup',
      'admin/reservations/content',
      'admin/reservations/content/faq/en',
      'admin/reservations',
      'admin/reservations/facilities',
      'admin/reservations/facilities/new',
      `admin/reservations/facilities/${facilityId}`,
      `admin/reservations/facilities/${facilityId}/weeks?week=${slotWeek}`,
      'admin/reservations/closed-days',
      'admin/reservations/rules',
      'admin/targets/letters?by=dates&from=2026-12-02&to=2026-12-01&reservationId=123',
    ],
    pages,
  );
  await staffContext.close();

  expect(validate(pages)).toEqual([]);
});
