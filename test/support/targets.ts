import { randomInt } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import type { PickupState } from '../../app/targets/target.ts';

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
