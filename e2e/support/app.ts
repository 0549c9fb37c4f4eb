import { randomInt } from 'node:crypto';
import type { Page, CDPSession } from '@playwright/test';
import { connect, type Connection } from '../../db/connection.ts';
import { loadSecrets, type Secrets } from '../../app/platform/secrets.server.ts';
import { embeddedDatabaseUrl } from '../../app/platform/database.server.ts';
import { upsertResidents } from '../../app/identity/residents.server.ts';
import { issueLetter, letterLinkToken } from '../../app/letters/letter.service.server.ts';
import { createStaffInvitation } from '../../app/identity/staff-invitation.service.server.ts';
import { upsertGroup } from '../../app/identity/staff-groups.service.server.ts';
import type { Permission } from '../../app/identity/permissions.ts';

/**
 * Test data for end-to-end tests, written into the running app's own database through the
 * app's services (the same rules as real input). Each helper makes data unique to its test.
 */
let cached: { connection: Connection; secrets: Secrets } | undefined;
export function appDatabase() {
  if (!cached) {
    const dir = process.env.E2E_DATA_DIR ?? '';
    const secrets = loadSecrets(dir);
    const url = embeddedDatabaseUrl(secrets, Number(process.env.E2E_PG_PORT));
    cached = { connection: connect(url, { max: 3 }), secrets };
  }
  return { db: cached.connection.db, connection: cached.connection, secrets: cached.secrets };
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

export async function createResident(
  overrides: Partial<{
    name: string;
    nameKana: string;
    birthDate: string;
    municipalityCode: string;
    municipalityName: string;
  }> = {},
) {
  const { db } = appDatabase();
  const registerCode = digits(11);
  await upsertResidents(db, [
    {
      registerCode,
      // Six digits: about 40 residents a run, and a name search must find exactly one of them.
      name: overrides.name ?? `髙橋　試験${digits(6)}`,
      nameKana: overrides.nameKana ?? 'タカハシ　シケン',
      nameLatin: null,
      birthDate: overrides.birthDate ?? '1980-04-01',
      sex: 'female',
      address: '神奈川県三浦市城山町1番1号',
      municipalityCode: overrides.municipalityCode ?? '142107',
      municipalityName: overrides.municipalityName ?? '三浦市',
      cardManufactureNumber: null,
    },
  ]);
  const row = await db
    .selectFrom('resident')
    .select(['id', 'name', 'birthDate'])
    .where('registerCode', '=', registerCode)
    .executeTakeFirstOrThrow();
  return { ...row, registerCode };
}

export async function createLetter(residentId: string) {
  const { db, secrets } = appDatabase();
  const letter = await issueLetter(db, secrets, {
    residentId,
    purpose: 'first_access',
    issuedBy: null,
  });
  return { ...letter, linkToken: letterLinkToken(secrets, letter) };
}

export async function createStaffInvite(permissions: Permission[], name = `職員${digits(4)}`) {
  const { db } = appDatabase();
  const group = await upsertGroup(db, {
    name: `e2e ${(permissions.join(',') || 'none').slice(0, 80)} ${digits(6)}`,
    permissions,
  });
  const invitation = await createStaffInvitation(db, {
    displayName: name,
    email: `staff${digits(6)}@example.jp`,
    groupIds: [group],
    createdBy: null,
  });
  return { ...invitation, name };
}

/** The staff account that accepted this invitation. */
export async function accountOfInvitation(invitationId: string): Promise<string> {
  const { accountId } = await appDatabase()
    .db.selectFrom('staffInvitation')
    .select('accountId')
    .where('id', '=', invitationId)
    .executeTakeFirstOrThrow();
  return accountId!;
}

/** A platform authenticator with resident keys and user verification, over CDP. */
export async function addVirtualAuthenticator(
  page: Page,
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

export async function credentialCount(cdp: CDPSession, authenticatorId: string): Promise<number> {
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  return credentials.length;
}

/**
 * Signs in on a sign-in page. Where the browser offers passkeys in autofill (conditional UI),
 * the virtual authenticator answers that request by itself; otherwise the button does it.
 */
export async function signInWithPasskey(page: Page, buttonName: string): Promise<void> {
  const startUrl = page.url();
  const button = page.getByRole('button', { name: buttonName });
  await Promise.race([
    page.waitForURL((url) => url.href !== startUrl && !url.pathname.endsWith('sign-in')),
    button.click({ timeout: 2_000 }).catch(() => undefined),
  ]);
  await page.waitForURL((url) => !url.pathname.endsWith('sign-in'));
}

/**
 * A resident with a passkey, signed in on `page`: created, given a letter, and taken through
 * first access by its QR link (Japanese pages).
 */
export async function enrolResident(
  page: Page,
  birthDate: string,
  overrides: Parameters<typeof createResident>[0] = {},
) {
  const resident = await createResident({ ...overrides, birthDate });
  const letter = await createLetter(resident.id);
  await addVirtualAuthenticator(page);
  await page.goto(`/ja/first-access?token=${letter.linkToken}`);
  const [y, m, d] = birthDate.split('-');
  await page.getByLabel('年', { exact: true }).fill(y ?? '');
  await page.getByLabel('月', { exact: true }).fill(String(Number(m)));
  await page.getByLabel('日', { exact: true }).fill(String(Number(d)));
  await page.getByRole('button', { name: '次へ' }).click();
  await page.getByRole('button', { name: 'パスキーを登録してはじめる' }).click();
  await page.waitForURL(/\/ja\/my$/);
  return resident;
}

/**
 * A new staff member with these permissions, signed in on `page` through an invitation and a
 * passkey. The default name is in Latin letters so English pages hold no Japanese outside lang="ja".
 */
export async function signInAsNewStaff(
  page: Page,
  permissions: Permission[],
  name = `Sato ${digits(6)}`,
) {
  const invite = await createStaffInvite(permissions, name);
  await addVirtualAuthenticator(page);
  await page.goto(`/ja/admin/accept?token=${invite.token}`);
  // A click before hydration would post the form without a passkey.
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'パスキーを登録して職員アカウントを作成' }).click();
  await page.waitForURL(/\/ja\/admin$/);
  return invite;
}
