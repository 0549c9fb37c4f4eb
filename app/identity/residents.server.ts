import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Sex } from '../../db/schema.ts';
import { foldNameVariants } from './name-variants.ts';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export type ResidentInput = {
  registerCode: string;
  name: string;
  nameKana: string;
  nameLatin: string | null;
  birthDate: string;
  sex: Sex;
  address: string;
  municipalityCode: string;
  municipalityName: string;
  cardManufactureNumber: string | null;
};

/** Residents as delivered by the resident register: insert or update by register code. */
export async function upsertResidents(db: Db, residents: ResidentInput[]): Promise<number> {
  if (residents.length === 0) return 0;
  const result = await db
    .insertInto('resident')
    .values(residents)
    .onConflict((oc) =>
      oc.column('registerCode').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        nameKana: eb.ref('excluded.nameKana'),
        nameLatin: eb.ref('excluded.nameLatin'),
        birthDate: eb.ref('excluded.birthDate'),
        sex: eb.ref('excluded.sex'),
        address: eb.ref('excluded.address'),
        municipalityCode: eb.ref('excluded.municipalityCode'),
        municipalityName: eb.ref('excluded.municipalityName'),
        cardManufactureNumber: eb.ref('excluded.cardManufactureNumber'),
        updatedAt: sql`now()`,
      })),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function findResident(db: Db, residentId: string) {
  return db.selectFrom('resident').selectAll().where('id', '=', residentId).executeTakeFirst();
}

/**
 * Staff search: by name (kanji, kana or Latin, partial; kanji with their 異体字 folded, so
 * 山崎 finds 山﨑), birth date, register code or card manufacture number. At most `limit`
 * rows, by kana order.
 */
export async function searchResidents(
  db: Db,
  query: { text?: string; birthDate?: string },
  limit = 50,
) {
  let q = db
    .selectFrom('resident')
    .select(['id', 'name', 'nameKana', 'nameLatin', 'birthDate', 'address', 'municipalityName']);
  const text = query.text?.trim().normalize('NFKC');
  if (text) {
    const like = `%${escapeLike(text)}%`;
    const compact = text.replace(/\s+/g, '');
    q = q.where((eb) =>
      eb.or([
        eb('nameSearch', 'like', `%${escapeLike(foldNameVariants(compact))}%`),
        eb(sql`replace(name_kana, chr(12288), '')`, 'like', `%${escapeLike(compact)}%`),
        eb('nameLatin', 'ilike', like),
        eb('registerCode', '=', compact),
        eb('cardManufactureNumber', '=', compact.toUpperCase()),
      ]),
    );
  }
  if (query.birthDate) q = q.where('birthDate', '=', query.birthDate);
  return q.orderBy('nameKana').limit(limit).execute();
}
