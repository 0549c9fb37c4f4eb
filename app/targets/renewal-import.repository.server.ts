/**
 * Every query of renewal-list imports: the import row (with its parsed lines as JSON until
 * the confirmation) and the set-based apply to renewal_target.
 */
import { sql, type Transaction } from 'kysely';
import { jsonb } from '../../db/jsonb.ts';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { RenewalRow } from './renewal-csv.ts';

type Conn = Db | Transaction<Database>;
type Key = { municipalityCode: string; importId: string };
export type RenewalCounts = { new: number; updated: number; unchanged: number };

export function findConfirmedRenewalImportOfFile(db: Conn, municipalityCode: string, sha: Buffer) {
  return db
    .selectFrom('renewalImport')
    .select(['id', 'confirmedAt'])
    .where('municipalityCode', '=', municipalityCode)
    .where('fileSha256', '=', sha)
    .where('state', '=', 'confirmed')
    .executeTakeFirst();
}

export function insertRenewalImport(
  trx: Transaction<Database>,
  values: {
    municipalityCode: string;
    fileName: string;
    fileSha256: Buffer;
    encoding: 'utf-8' | 'shift_jis';
    lineCount: number;
    problems: unknown[];
    rows: RenewalRow[];
    createdBy: string;
  },
) {
  const staged = values.rows.map((r) => ({
    resident_register_code: r.residentRegisterCode,
    name: r.name,
    name_kana: r.nameKana,
    birth_date: r.birthDate,
    address: r.address,
    notice_number: r.noticeNumber,
    certificate_expires_on: r.certificateExpiresOn,
  }));
  return trx
    .insertInto('renewalImport')
    .values({ ...values, problems: jsonb(values.problems), rows: jsonb(staged) })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function findRenewalImport(db: Conn, key: Key, lock = false) {
  const query = db
    .selectFrom('renewalImport')
    .select([
      'id',
      'fileName',
      'state',
      'problems',
      'newCount',
      'updatedCount',
      'unchangedCount',
      'confirmedAt',
    ])
    .where('municipalityCode', '=', key.municipalityCode)
    .where('id', '=', key.importId);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

const FIELDS = [
  'name',
  'name_kana',
  'birth_date',
  'address',
  'notice_number',
  'certificate_expires_on',
];
const fieldsOf = (table: string) => sql.raw(FIELDS.map((c) => `${table}.${c}`).join(', '));

/** The staged lines as a table. */
const staged = (key: Key) => sql`
  jsonb_to_recordset((select rows from renewal_import
                      where municipality_code = ${key.municipalityCode} and id = ${key.importId}))
    as s(resident_register_code text, name text, name_kana text, birth_date date, address text,
         notice_number text, certificate_expires_on date)`;

/** A person already renewed or cleared for this very notice: the line changes nothing. */
const closedForNotice = (key: Key) => sql`exists (
  select 1 from renewal_target c
  where c.municipality_code = ${key.municipalityCode}
    and c.resident_register_code = s.resident_register_code
    and c.notice_number = s.notice_number and c.state <> 'active')`;

/** How the staged lines compare with the city's active targets. */
export async function countStagedRenewals(db: Conn, key: Key): Promise<RenewalCounts> {
  const { rows } = await sql<RenewalCounts>`
    select count(*) filter (where a.id is null and not ${closedForNotice(key)})::int as new,
           count(*) filter (where a.id is not null
             and (${fieldsOf('s')}) is distinct from (${fieldsOf('a')}))::int as updated,
           count(*) filter (where (a.id is null and ${closedForNotice(key)}) or (a.id is not null
             and (${fieldsOf('s')}) is not distinct from (${fieldsOf('a')})))::int as unchanged
    from ${staged(key)}
    left join renewal_target a
      on a.municipality_code = ${key.municipalityCode}
     and a.resident_register_code = s.resident_register_code and a.state = 'active'`.execute(db);
  return rows[0] ?? { new: 0, updated: 0, unchanged: 0 };
}

/**
 * Every staged line in one statement: a new person becomes an active target; an active one
 * takes the file's values when something differs; one already closed for the same notice
 * stays closed. States are never touched here.
 */
export async function applyStagedRenewals(trx: Transaction<Database>, key: Key, by: string) {
  await sql`
    insert into renewal_target (municipality_code, resident_register_code, ${sql.raw(FIELDS.join(', '))},
                                origin, import_id, created_by)
    select ${key.municipalityCode}, s.resident_register_code, ${fieldsOf('s')},
           'import', ${key.importId}::uuid, ${by}::uuid
    from ${staged(key)}
    where not ${closedForNotice(key)}
    on conflict (municipality_code, resident_register_code) where state = 'active' do update set
      name = excluded.name, name_kana = excluded.name_kana, birth_date = excluded.birth_date,
      address = excluded.address, notice_number = excluded.notice_number,
      certificate_expires_on = excluded.certificate_expires_on, import_id = excluded.import_id,
      updated_by = excluded.created_by, updated_at = now()
    where (${fieldsOf('renewal_target')}) is distinct from (${fieldsOf('excluded')})`.execute(trx);
}

/** Confirmed: the figures stay, the staged lines go (they are in renewal_target now). */
export function markRenewalImportConfirmed(
  trx: Transaction<Database>,
  key: Key,
  done: { by: string; at: Date; counts: RenewalCounts },
) {
  return trx
    .updateTable('renewalImport')
    .set({
      state: 'confirmed',
      rows: sql<string>`'[]'::jsonb`,
      confirmedBy: done.by,
      confirmedAt: done.at,
      newCount: done.counts.new,
      updatedCount: done.counts.updated,
      unchangedCount: done.counts.unchanged,
    })
    .where('municipalityCode', '=', key.municipalityCode)
    .where('id', '=', key.importId)
    .execute();
}
