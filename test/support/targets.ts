/**
 * Card-pickup targets for tests (route tests and e2e), made the way real ones are: a CS list
 * staged and confirmed through the import services, moved through the lifecycle service.
 */
import { randomInt } from 'node:crypto';
import type { Connection, Db } from '../../db/connection.ts';
import type { Secrets } from '../../app/platform/secrets.server.ts';
import { confirmTargetImport } from '../../app/targets/target-import.service.server.ts';
import { credentialsForLetters } from '../../app/targets/target-credentials.service.server.ts';
import { moveTarget } from '../../app/targets/target-lifecycle.service.server.ts';
import type { PickupState } from '../../app/targets/target.ts';
import { stageTargetFile } from './target-import.ts';

/** The city the staff pages work on when MADOGUCHI_CITY_CODE is not set. */
export const DEFAULT_CITY = '142107';

const HEADER = '申請書ID,製造管理番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所';

export type TestTarget = {
  name: string;
  nameKana: string;
  /** As the CS list writes it: 1980-12-03 or S55.12.3. */
  birthDate: string;
  address: string;
};

const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;

/** Imports these people (application IDs made unique) and returns them with their ids. */
export async function importTargets(
  connection: Pick<Connection, 'db' | 'sql'>,
  staffAccountId: string,
  people: TestTarget[],
  city = DEFAULT_CITY,
) {
  const { db } = connection;
  const actor = staffActor(staffAccountId);
  const stamp = `${Date.now()}${randomInt(1000, 10000)}`;
  const withIds = people.map((p, i) => ({
    ...p,
    applicationId: `T${stamp}${String(i).padStart(3, '0')}`,
    manufactureNo: `MN${stamp}${String(i).padStart(3, '0')}`,
  }));
  const lines = withIds.map((p) =>
    [p.applicationId, p.manufactureNo, p.name, p.nameKana, p.birthDate, '女', '2380101', p.address]
      .map(quote)
      .join(','),
  );
  const bytes = new TextEncoder().encode([HEADER, ...lines].join('\r\n') + '\r\n');
  const staged = await stageTargetFile(connection, actor, {
    municipalityCode: city,
    fileName: `test-${stamp}.csv`,
    bytes,
  });
  if (staged.outcome !== 'staged') throw new Error(`test import not staged: ${staged.outcome}`);
  const confirmed = await confirmTargetImport(db, actor, {
    municipalityCode: city,
    importId: staged.importId,
  });
  if (confirmed.outcome !== 'confirmed') throw new Error('test import not confirmed');
  const rows = await db
    .selectFrom('pickupTarget')
    .select(['id', 'applicationId'])
    .where('municipalityCode', '=', city)
    .where(
      'applicationId',
      'in',
      withIds.map((p) => p.applicationId),
    )
    .execute();
  return withIds.map((p) => ({
    ...p,
    id: rows.find((r) => r.applicationId === p.applicationId)?.id ?? '',
  }));
}

/** Moves a target step by step (as the later pages will: letters, booking). */
export async function moveTargetThrough(
  db: Db,
  staffAccountId: string,
  targetId: string,
  states: PickupState[],
  city = DEFAULT_CITY,
) {
  for (const to of states) {
    const moved = await moveTarget(db, staffActor(staffAccountId), city, targetId, to);
    if (moved.outcome !== 'moved') throw new Error(`test move to ${to}: ${moved.outcome}`);
  }
}

/** The reservation ID a letter would print for this target. */
export async function giveCredentials(
  db: Db,
  secrets: Secrets,
  staffAccountId: string,
  targetId: string,
  city = DEFAULT_CITY,
) {
  const [credentials] = await credentialsForLetters(db, secrets, staffActor(staffAccountId), city, [
    targetId,
  ]);
  if (!credentials) throw new Error('no credentials');
  return credentials.reservationId;
}

const staffActor = (accountId: string) => ({
  actorType: 'staff' as const,
  actorId: accountId,
  onBehalfOfResidentId: null,
  ip: null,
});

/**
 * A tag that keeps test people apart in a shared database, in kana (a reading with digits
 * would not be searched as kana): the katakana to store, the hiragana a clerk types.
 */
export function kanaTag() {
  const digits = String(randomInt(100_000, 1_000_000));
  const pick = (letters: string) => [...digits].map((d) => letters[Number(d)]).join('');
  return { katakana: pick('アイウエオカキクケコ'), hiragana: pick('あいうえおかきくけこ') };
}

/** The details of one staff member's audit entries of this action, oldest first. */
export function auditDetailsBy(db: Db, action: string, accountId: string) {
  return db
    .selectFrom('auditLog')
    .select(['details'])
    .where('action', '=', action)
    .where('actorId', '=', accountId)
    .orderBy('occurredAt')
    .execute();
}

/** The moves from 'imported' to each state a test wants a target in. */
const PATH: Partial<Record<PickupState, PickupState[]>> = {
  imported: [],
  setup_done: ['setup_done'],
  letter_printed: ['setup_done', 'letter_printed'],
  booked: ['setup_done', 'letter_printed', 'booked'],
  issued: ['setup_done', 'letter_printed', 'booked', 'issued'],
  cancelled: ['cancelled'],
};

/**
 * Card-pickup targets as an import leaves them, moved along the lifecycle to `state` (the
 * database's trigger checks each move). Returns their ids in insertion order.
 */
export async function insertTargets(
  db: Db,
  options: { city: string; count: number; state: PickupState; importId?: string | null },
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < options.count; i++) {
    const serial = `${Date.now()}${randomInt(1_000_000)}${i}`;
    const row = await db
      .insertInto('pickupTarget')
      .values({
        municipalityCode: options.city,
        applicationId: `APP-${serial}`,
        manufactureNo: `MN-${serial}`,
        name: `髙﨑 𠮷子${i}`,
        nameKana: 'タカサキ ヨシコ',
        birthDate: '1980-12-03',
        sex: 'female',
        postalCode: '2380101',
        address: `神奈川県三浦市南下浦町上宮田${i + 1}番地`,
        importId: options.importId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const state of PATH[options.state] ?? [])
      await db
        .updateTable('pickupTarget')
        .set({ state })
        .where('municipalityCode', '=', options.city)
        .where('id', '=', row.id)
        .execute();
    ids.push(row.id);
  }
  return ids;
}

/** A target's state as stored. */
export async function targetState(db: Db, targetId: string) {
  const row = await db
    .selectFrom('pickupTarget')
    .select('state')
    .where('id', '=', targetId)
    .executeTakeFirstOrThrow();
  return row.state;
}

/** Targets' lifecycle state and reservation ID, in the order of `ids`' rows as stored. */
export function targetRows(db: Db, ids: readonly string[]) {
  return db
    .selectFrom('pickupTarget')
    .select(['id', 'reservationId', 'state'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
}

/** The names stored under one application ID (one row, unless an import doubled it). */
export function namesByApplicationId(db: Db, applicationId: string) {
  return db
    .selectFrom('pickupTarget')
    .select('name')
    .where('applicationId', '=', applicationId)
    .execute();
}
