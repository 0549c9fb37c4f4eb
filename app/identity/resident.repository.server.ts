/**
 * Every query of residents and of the accounts that belong to them. The first argument is the
 * database or the caller's transaction.
 */
import { sql, type Insertable, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database, ResidentTable } from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Inserts residents or updates them by register code; how many rows were written. */
export async function upsertResidentRows(
  db: Conn,
  residents: Insertable<ResidentTable>[],
): Promise<number> {
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

/** The residents with these register codes as they are now, locked until the caller commits. */
export async function lockResidentsByCode(trx: Transaction<Database>, registerCodes: string[]) {
  if (registerCodes.length === 0) return new Map();
  const rows = await trx
    .selectFrom('resident')
    .select([
      'id',
      'registerCode',
      'name',
      'nameKana',
      'nameLatin',
      sql<string>`birth_date::text`.as('birthDate'),
      'sex',
      'address',
      'municipalityName',
    ])
    .where('registerCode', 'in', registerCodes)
    .orderBy('registerCode')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.registerCode, r]));
}

export function findResidentById(db: Conn, residentId: string) {
  return db.selectFrom('resident').selectAll().where('id', '=', residentId).executeTakeFirst();
}

/**
 * Residents whose name (the folded name_search, the kana without its spaces, the Latin name)
 * contains the text, or whose register code or card manufacture number is the compact text;
 * and born on `birthDate` when given. At most `limit` rows, by kana order.
 */
export function findResidentsMatching(
  db: Conn,
  query: {
    text?: { typed: string; compact: string; folded: string };
    birthDate?: string;
    limit: number;
  },
) {
  let q = db
    .selectFrom('resident')
    .select(['id', 'name', 'nameKana', 'nameLatin', 'birthDate', 'address', 'municipalityName']);
  const text = query.text;
  if (text)
    q = q.where((eb) =>
      eb.or([
        eb('nameSearch', 'like', `%${escapeLike(text.folded)}%`),
        eb(sql`replace(name_kana, chr(12288), '')`, 'like', `%${escapeLike(text.compact)}%`),
        eb('nameLatin', 'ilike', `%${escapeLike(text.typed)}%`),
        eb('registerCode', '=', text.compact),
        eb('cardManufactureNumber', '=', text.compact.toUpperCase()),
      ]),
    );
  if (query.birthDate) q = q.where('birthDate', '=', query.birthDate);
  return q.orderBy('nameKana').limit(query.limit).execute();
}

export function findAccountOfResident(db: Conn, residentId: string) {
  return db
    .selectFrom('account')
    .select(['id', 'displayName'])
    .where('residentId', '=', residentId)
    .executeTakeFirst();
}

/** The resident's account (created, or its name brought up to date). */
export function upsertResidentAccount(db: Conn, residentId: string, displayName: string) {
  return db
    .insertInto('account')
    .values({ kind: 'resident', residentId, displayName })
    .onConflict((oc) => oc.column('residentId').doUpdateSet({ displayName }))
    .returning(['id', 'displayName'])
    .executeTakeFirstOrThrow();
}
