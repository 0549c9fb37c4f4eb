/**
 * The database stamps when a target last entered each state (migration 20261202_0028), after
 * the lifecycle check: a refused move stamps nothing, a state entered again keeps its latest time.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestDatabase } from '../../test/database.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const CITY = '142401';

const times = (id: string) =>
  db()
    .selectFrom('pickupTarget')
    .select(['state', 'setupDoneAt', 'letterPrintedAt', 'bookedAt', 'issuedAt', 'cancelledAt'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

/** Moves in separate transactions, so now() differs between them. */
const move = (id: string, to: string) =>
  sql`update pickup_target set state = ${to} where id = ${id}`.execute(db());

describe('lifecycle times', () => {
  it('stamps each state entered, keeps the latest on re-entry, and nothing for a refused move', async () => {
    const { id } = await db()
      .insertInto('pickupTarget')
      .values({
        municipalityCode: CITY,
        applicationId: 'T1',
        manufactureNo: 'MN-T1',
        name: '三浦 一',
        birthDate: '1970-01-01',
        sex: 'male',
        address: '三浦市',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await times(id)).toMatchObject({ state: 'imported', setupDoneAt: null, bookedAt: null });

    await expect(move(id, 'issued')).rejects.toThrow(/cannot go from imported to issued/);
    expect((await times(id)).issuedAt).toBeNull();

    for (const to of ['setup_done', 'letter_printed', 'booked']) await move(id, to);
    const first = await times(id);
    expect(first.setupDoneAt).toBeInstanceOf(Date);
    expect(first.letterPrintedAt!.getTime()).toBeGreaterThanOrEqual(first.setupDoneAt!.getTime());
    expect(first.bookedAt!.getTime()).toBeGreaterThanOrEqual(first.letterPrintedAt!.getTime());

    await new Promise((resolve) => setTimeout(resolve, 5));
    await move(id, 'letter_printed');
    await move(id, 'booked');
    const again = await times(id);
    expect(again.bookedAt!.getTime()).toBeGreaterThan(first.bookedAt!.getTime());
    expect(again.setupDoneAt).toEqual(first.setupDoneAt);
    expect(again.cancelledAt).toBeNull();
  });
});
