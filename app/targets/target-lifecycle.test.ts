/**
 * The database keeps a card-pickup target's lifecycle (migration 20261202_0019, decision 0042):
 * every move is tried from every state with plain SQL, and exactly the moves of
 * PICKUP_TRANSITIONS succeed. A card is handed over once; a re-issued card can be again.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestDatabase } from '../../test/database.ts';
import { staffWithSession } from '../../test/support/routes.ts';
import { canMove, PICKUP_STATES, PICKUP_TRANSITIONS, type PickupState } from './target.ts';

const database = useTestDatabase();
const db = () => database.connection.db;

const CITY = '142107';
let serial = 0;

async function insertTarget(manufactureNo = `MN${++serial}`) {
  const row = await db()
    .insertInto('pickupTarget')
    .values({
      municipalityCode: CITY,
      applicationId: `APP-${++serial}`,
      manufactureNo,
      name: '髙﨑 𠮷子',
      nameKana: 'タカサキ ヨシコ',
      birthDate: '1980-12-03',
      sex: 'female',
      postalCode: '2380101',
      address: '三浦市南下浦町上宮田',
    })
    .returning(['id', 'state', 'name'])
    .executeTakeFirstOrThrow();
  return row;
}

const move = (id: string, to: PickupState) =>
  db()
    .updateTable('pickupTarget')
    .set({ state: to })
    .where('municipalityCode', '=', CITY)
    .where('id', '=', id)
    .execute();

/** The allowed moves that lead from 'imported' to a state (breadth first). */
function pathTo(state: PickupState): PickupState[] {
  const paths = new Map<PickupState, PickupState[]>([['imported', []]]);
  const queue: PickupState[] = ['imported'];
  while (queue.length > 0) {
    const from = queue.shift()!;
    for (const to of PICKUP_TRANSITIONS[from])
      if (!paths.has(to)) {
        paths.set(to, [...paths.get(from)!, to]);
        queue.push(to);
      }
  }
  const path = paths.get(state);
  if (!path) throw new Error(`${state} cannot be reached from imported`);
  return path;
}

describe('the lifecycle of a card-pickup target', () => {
  it('the database holds exactly the moves of PICKUP_TRANSITIONS', async () => {
    const rows = await db()
      .selectFrom('pickupTransition')
      .select(['fromState', 'toState'])
      .orderBy('fromState')
      .orderBy('toState')
      .execute();
    const expected = Object.entries(PICKUP_TRANSITIONS)
      .flatMap(([fromState, tos]) => tos.map((toState) => ({ fromState, toState })))
      .sort((a, b) =>
        a.fromState === b.fromState
          ? a.toState.localeCompare(b.toState)
          : a.fromState.localeCompare(b.fromState),
      );
    expect(rows).toEqual(expected);
  });

  it('keeps names exactly as written and starts every target as imported', async () => {
    const target = await insertTarget();
    expect(target).toMatchObject({ state: 'imported', name: '髙﨑 𠮷子' });
    await expect(
      sql`insert into pickup_target (municipality_code, application_id, manufacture_no, name,
            birth_date, sex, address, state)
          values (${CITY}, 'APP-X', 'MN-X', '名前', '1990-01-01', 'male', '住所', 'issued')`.execute(
        db(),
      ),
    ).rejects.toThrow(/starts as imported/);
  });

  it.each(PICKUP_STATES)('from %s, only the allowed moves succeed', async (from) => {
    for (const to of PICKUP_STATES) {
      if (to === from) continue;
      const { id } = await insertTarget();
      for (const step of pathTo(from)) await move(id, step);
      const attempt = move(id, to);
      if (canMove(from, to)) await expect(attempt).resolves.toBeDefined();
      else await expect(attempt).rejects.toThrow(`cannot go from ${from} to ${to}`);
      const { state } = await db()
        .selectFrom('pickupTarget')
        .select('state')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(state).toBe(canMove(from, to) ? to : from);
    }
  });

  it('a card is handed over once; the re-issued card can be handed over', async () => {
    const clerk = await staffWithSession(db(), ['notices:write']);
    const target = await insertTarget('MN-FIRST');
    const handover = (manufactureNo: string) =>
      db()
        .insertInto('pickupHandover')
        .values({
          municipalityCode: CITY,
          targetId: target.id,
          manufactureNo,
          issuedAt: new Date(),
          issuedBy: clerk.accountId,
          identityDocuments: ['driving_licence'],
          faceCheck: 'matched',
          userCertificate: true,
          signingCertificate: true,
          pinSetup: true,
        })
        .execute();
    await handover('MN-FIRST');
    await expect(handover('MN-FIRST')).rejects.toThrow(/pickup_handover_pkey/);
    await handover('MN-SECOND');
    const rows = await db()
      .selectFrom('pickupHandover')
      .select('manufactureNo')
      .where('targetId', '=', target.id)
      .orderBy('manufactureNo')
      .execute();
    expect(rows.map((r) => r.manufactureNo)).toEqual(['MN-FIRST', 'MN-SECOND']);
  });

  it('refuses a postal code that is not seven digits and an unknown state', async () => {
    await expect(
      db()
        .insertInto('pickupTarget')
        .values({
          municipalityCode: CITY,
          applicationId: 'APP-POSTAL',
          manufactureNo: 'MN-POSTAL',
          name: '名前',
          birthDate: '1990-01-01',
          sex: 'male',
          postalCode: '238010',
          address: '住所',
        })
        .execute(),
    ).rejects.toThrow(/pickup_target_postal_code_check/);
    const { id } = await insertTarget();
    await expect(
      sql`update pickup_target set state = 'lost' where id = ${id}`.execute(db()),
    ).rejects.toThrow(/pickup_target_state_check|cannot go from imported to lost/);
  });

  it('keeps every change of state in the history, with who and why when the application says', async () => {
    const { id } = await insertTarget();
    const staff = await staffWithSession(db(), ['targets:manage']);
    // By hand, as psql would: recorded, nobody named.
    await move(id, 'setup_done');
    // As the application does: the settings local to the transaction name who and why.
    await db()
      .transaction()
      .execute(async (trx) => {
        await sql`select set_config('madoguchi.move_by', ${staff.accountId}, true),
                         set_config('madoguchi.move_reason', '破損', true)`.execute(trx);
        await trx
          .updateTable('pickupTarget')
          .set({ state: 'cancelled' })
          .where('id', '=', id)
          .execute();
      });
    // Not a move: nothing recorded.
    await db()
      .updateTable('pickupTarget')
      .set({ address: '三浦市' })
      .where('id', '=', id)
      .execute();
    const history = await db()
      .selectFrom('pickupTargetMove')
      .select(['fromState', 'toState', 'movedBy', 'reason'])
      .where('targetId', '=', id)
      .orderBy('id')
      .execute();
    expect(history).toEqual([
      { fromState: 'imported', toState: 'setup_done', movedBy: null, reason: null },
      { fromState: 'setup_done', toState: 'cancelled', movedBy: staff.accountId, reason: '破損' },
    ]);
  });
});
