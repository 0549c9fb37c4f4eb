import type { Db } from '../../db/connection.ts';
import type { Logger } from '../../app/platform/logger.server.ts';
import type { Secrets } from '../../app/platform/secrets.server.ts';
import { demoResidents } from './residents.data.ts';
import { upsertResidents } from '../../app/identity/residents.server.ts';
import { issueLetter, letterLinkToken } from '../../app/letters/letter.service.server.ts';
import { createStaffInvitation } from '../../app/identity/staff-invitation.service.server.ts';
import {
  ensureAdministratorsGroup,
  upsertGroup,
} from '../../app/identity/staff-groups.service.server.ts';
import { permissions } from '../../app/identity/permissions.ts';
import { publishNotice } from '../../app/notices/notice.service.server.ts';
import { demoNotices } from './notices.data.ts';
import { createSystemTodo } from '../../app/todos/todo.service.server.ts';
import { createTodosForResidents } from '../../app/todos/todo-bulk.server.ts';
import { importInsuranceCsv } from '../../app/insurance/insurance.service.server.ts';
import { tokyoDate } from '../../app/i18n/dates.ts';
import { registerClient } from '../../app/api/client.service.server.ts';
import { recordResidentCard } from '../../app/credentials/revocation.service.server.ts';
import { cardExpiry } from '../../app/credentials/card-validity.ts';

const SEEDED_KEY = 'demo_seeded_at';

/** Staff groups a municipality starts with; administrators get every permission. */
const DEMO_GROUPS = [
  {
    name: '窓口担当 Counter clerks',
    description: 'Residents, letters, reservations and targets',
    permissions: [
      'residents:read',
      'letters:issue',
      'reservations:manage',
      'targets:import',
      'targets:manage',
      'targets:lookup',
      'targets:letters',
      'renewals:manage',
      'insurance:read',
      'insurance:import',
    ] as const,
  },
  {
    name: 'お知らせ担当 Notice editors',
    description: 'Notices, to-dos and delivery figures',
    permissions: ['notices:write', 'todos:write', 'delivery:read'] as const,
  },
  { name: '監査担当 Auditors', description: 'Audit log', permissions: ['audit:read'] as const },
];

/**
 * Demo data for a newcomer's first start, written once per database, through the same
 * services real input uses. It prints what a newcomer needs to try the service at once:
 * a few letters' credentials (residents) and an invitation link (the first administrator).
 */
export async function seedDemoData({
  db,
  log,
  secrets,
  publicOrigin,
}: {
  db: Db;
  log: Logger;
  secrets: Secrets;
  publicOrigin: string;
}): Promise<boolean> {
  const claimed = await db
    .insertInto('appMeta')
    .values({ key: SEEDED_KEY, value: { at: new Date().toISOString() } })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!claimed) return false;

  await upsertResidents(db, demoResidents);
  await seedDemoCards(db);
  const adminGroup = await ensureAdministratorsGroup(db, permissions);
  for (const group of DEMO_GROUPS)
    await upsertGroup(db, { ...group, permissions: [...group.permissions] });
  const invitation = await createStaffInvitation(db, {
    displayName: 'デモ管理者 Demo administrator',
    email: 'admin@example.jp',
    groupIds: [adminGroup],
    createdBy: null,
  });

  await seedDemoNotices(db);
  // The Myna app (demo): its callback is an app scheme .
  await registerClient(db, {
    id: 'myna-app',
    name: 'マイナアプリ（デモ） Myna app (demo)',
    redirectUris: ['jp.madoguchi.app:/callback'],
    createdBy: null,
  });
  await seedDemoTodos(db);
  await seedDemoInsurance(db);

  const letters: {
    name: string;
    birthDate: string;
    code: string;
    password: string;
    token: string;
  }[] = [];
  for (const person of demoResidents.slice(0, 3)) {
    const resident = await db
      .selectFrom('resident')
      .select(['id', 'name', 'birthDate'])
      .where('registerCode', '=', person.registerCode)
      .executeTakeFirstOrThrow();
    const letter = await issueLetter(db, secrets, {
      residentId: resident.id,
      purpose: 'first_access',
      issuedBy: null,
    });
    letters.push({
      name: resident.name,
      birthDate: resident.birthDate,
      code: letter.code,
      password: letter.password,
      token: letterLinkToken(secrets, letter),
    });
  }

  log.info({ residents: demoResidents.length }, 'demo data seeded');
  // Every link in both languages: the same token works on the Japanese and the English page.
  const accept = (lang: string) => `${publicOrigin}/${lang}/admin/accept?token=${invitation.token}`;
  const qr = (lang: string) =>
    `${publicOrigin}/${lang}/first-access?token=${letters[0]?.token ?? ''}`;
  const lines = [
    '',
    'Madoguchi demo data is ready. Try it:',
    '  First administrator (staff), open one of:',
    `    日本語  ${accept('ja')}`,
    `    English ${accept('en')}`,
    '  Residents (first access at /ja/first-access or /en/first-access):',
    ...letters.map(
      (l) => `    ${l.name}  born ${l.birthDate}  letter ID ${l.code}  password ${l.password}`,
    ),
    "  or open a letter's QR link:",
    `    日本語  ${qr('ja')}`,
    `    English ${qr('en')}`,
    'These are shown once; staff can issue new letters and invitations in the admin pages.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return true;
}

/**
 * The card validity the register feed would give (J-LIS's card data): residents with a card
 * number hold a card issued in spring 2024 (valid as the law says: cardExpiry), so the demo
 * app can receive their card as an mdoc.
 */
async function seedDemoCards(db: Db): Promise<void> {
  const issuedOn = '2024-04-01';
  const withCards = demoResidents.filter((r) => r.cardManufactureNumber !== null);
  const rows = await db
    .selectFrom('resident')
    .select(['id', 'registerCode'])
    .where(
      'registerCode',
      'in',
      withCards.map((r) => r.registerCode),
    )
    .execute();
  for (const resident of withCards) {
    const id = rows.find((r) => r.registerCode === resident.registerCode)?.id;
    if (!id) continue;
    await recordResidentCard(db, {
      residentId: id,
      issuedOn,
      expiresOn: cardExpiry(resident.birthDate, issuedOn),
    });
  }
}

async function seedDemoNotices(db: Db): Promise<void> {
  const residents = await db
    .selectFrom('resident')
    .select(['id', 'municipalityCode'])
    .orderBy('registerCode')
    .execute();
  // "some": every other resident, so the demo shows targeted notices reaching some people only.
  const some = residents.filter((_, i) => i % 2 === 0).map((r) => r.id);
  for (const n of demoNotices) {
    await publishNotice(db, {
      audience:
        n.audience === 'all'
          ? { type: 'all' }
          : n.audience === 'miura'
            ? { type: 'municipality', municipalityCode: '142107' }
            : { type: 'list', residentIds: some },
      sender: n.sender,
      titleJa: n.titleJa,
      bodyJa: n.bodyJa,
      titleEn: n.titleEn,
      bodyEn: n.bodyEn,
      publishAt: new Date(Date.now() - n.daysAgo * 86_400_000),
      expiresAt: null,
      createdBy: null,
    });
  }
}

const inDays = (days: number) => tokyoDate(new Date(Date.now() + days * 86_400_000));

/** To-dos with past and future due dates: some overdue, some due this week, some later. */
async function seedDemoTodos(db: Db): Promise<void> {
  const residents = await db
    .selectFrom('resident')
    .select(['id', 'cardManufactureNumber'])
    .orderBy('registerCode')
    .execute();
  for (const [i, r] of residents.entries()) {
    if (r.cardManufactureNumber === null || i % 3 === 0) {
      await createSystemTodo(db, {
        residentId: r.id,
        kind: 'book_card_pickup',
        titleJa: 'マイナンバーカードの受け取りを予約する',
        titleEn: 'Book a time to pick up your My Number card',
        dueDate: inDays(i % 2 === 0 ? 5 : -3),
        // No page to book on yet (/reservations does not exist): no link until there is.
        actionUrl: null,
      });
    }
  }
  const some = residents.filter((_, i) => i % 2 === 1).map((r) => r.id);
  await createTodosForResidents(db, {
    residentIds: some,
    titleJa: '電子証明書を更新する',
    titleEn: 'Renew your e-certificate',
    descriptionJa: '署名用電子証明書の有効期限が近づいています。窓口で更新してください。',
    descriptionEn: 'Your signing e-certificate expires soon. Renew it at the counter.',
    dueDate: inDays(40),
    actionUrl: 'https://www.jpki.go.jp/',
    createdBy: null,
    idempotencyKey: 'demo-renew-certificate',
  });
  await createTodosForResidents(db, {
    residentIds: residents.slice(0, 6).map((r) => r.id),
    titleJa: '児童手当の現況届を提出する',
    titleEn: null,
    descriptionJa: '今年度の現況届を市役所に提出してください。',
    descriptionEn: null,
    dueDate: inDays(-10),
    actionUrl: null,
    createdBy: null,
    idempotencyKey: 'demo-child-allowance',
  });
}

/** Insurance records for most demo residents, through the same CSV import staff use. */
async function seedDemoInsurance(db: Db): Promise<void> {
  const residents = await db
    .selectFrom('resident')
    .select(['registerCode', 'birthDate'])
    .orderBy('registerCode')
    .execute();
  const insurers = [
    ['06139999', '全国健康保険協会 神奈川支部', '30'],
    ['142107', '三浦市国民健康保険', '30'],
    ['39142071', '神奈川県後期高齢者医療広域連合', '10'],
  ] as const;
  const lines = ['住民票コード,保険者番号,保険者名,記号,番号,枝番,資格取得日,資格喪失日,負担割合'];
  for (const [i, r] of residents.entries()) {
    if (i % 5 === 4) continue; // some residents have no record: the page says so
    const age = Number(tokyoDate(new Date()).slice(0, 4)) - Number(r.birthDate.slice(0, 4));
    const [number, name, ratio] = age >= 75 ? insurers[2] : i % 2 === 0 ? insurers[0] : insurers[1];
    const copay = age >= 75 ? ratio : age < 6 || age >= 70 ? '20' : ratio;
    lines.push(
      [
        r.registerCode,
        number,
        name,
        `${1000 + i}`,
        `${20000 + i * 7}`,
        '01',
        '2024-04-01',
        '',
        copay,
      ].join(','),
    );
  }
  const result = await importInsuranceCsv(db, new TextEncoder().encode(lines.join('\r\n')));
  if (!result.ok)
    throw new Error(`demo insurance import failed: ${JSON.stringify(result).slice(0, 500)}`);
}
