import type { Db } from '../connection.ts';
import type { Logger } from '../../app/platform/logger.server.ts';
import type { Secrets } from '../../app/platform/secrets.server.ts';
import { demoResidents } from './residents.data.ts';
import { upsertResidents } from '../../app/identity/residents.server.ts';
import { issueLetter, letterLinkToken } from '../../app/identity/letters.server.ts';
import {
  createStaffInvitation,
  ensureAdministratorsGroup,
  upsertGroup,
} from '../../app/identity/staff.server.ts';
import { permissions } from '../../app/identity/permissions.ts';
import { publishNotice } from '../../app/notices/notice.service.server.ts';
import { demoNotices } from './notices.data.ts';

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
      'insurance:read',
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

  const letters = [];
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
      link: `${publicOrigin}/ja/first-access?token=${letterLinkToken(secrets, letter)}`,
    });
  }

  log.info({ residents: demoResidents.length }, 'demo data seeded');
  const lines = [
    '',
    'Madoguchi demo data is ready. Try it:',
    `  First administrator (staff): open ${publicOrigin}/ja/admin/accept?token=${invitation.token}`,
    '  Residents (first access at /ja/first-access):',
    ...letters.map(
      (l) => `    ${l.name}  born ${l.birthDate}  letter ID ${l.code}  password ${l.password}`,
    ),
    `  or open a letter's QR link: ${letters[0]?.link ?? ''}`,
    'These are shown once; staff can issue new letters and invitations in the admin pages.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return true;
}

async function seedDemoNotices(db: Db): Promise<void> {
  const residents = await db.selectFrom('resident').select(['id', 'municipalityCode']).orderBy('registerCode').execute();
  // "some": every other resident, so the demo shows targeted notices reaching some people only.
  const some = residents.filter((_, i) => i % 2 === 0).map((r) => r.id);
  for (const n of demoNotices) {
    await publishNotice(db, {
      audience: n.audience === 'all' ? { type: 'all' } : n.audience === 'miura' ? { type: 'municipality', municipalityCode: '142107' } : { type: 'list', residentIds: some },
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
