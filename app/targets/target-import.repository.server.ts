/**
 * Every query of target imports: the import row, its staging rows, and the set-based apply
 * to pickup_target. The first argument is the database or the caller's transaction.
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { TargetRow } from './target-csv.ts';

type Conn = Db | Transaction<Database>;

/** Staging rows per insert: well under PostgreSQL's 65,535 parameters (11 columns). */
const STAGE_CHUNK = 2_000;

export function findConfirmedImportOfFile(db: Conn, municipalityCode: string, sha256: Buffer) {
  return db
    .selectFrom('targetImport')
    .select(['id', 'confirmedAt'])
    .where('municipalityCode', '=', municipalityCode)
    .where('fileSha256', '=', sha256)
    .where('state', '=', 'confirmed')
    .executeTakeFirst();
}

export function insertImport(
  trx: Transaction<Database>,
  values: {
    municipalityCode: string;
    fileName: string;
    fileSha256: Buffer;
    encoding: 'utf-8' | 'shift_jis';
    lineCount: number;
    problems: unknown[];
    createdBy: string;
  },
) {
  return trx
    .insertInto('targetImport')
    .values({
      ...values,
      // Sent as text and cast: postgres.js would JSON-encode a string parameter typed jsonb again.
      problems: sql<string>`${JSON.stringify(values.problems)}::text::jsonb`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function insertStagingRows(
  trx: Transaction<Database>,
  key: { municipalityCode: string; importId: string },
  rows: readonly { line: number; row: TargetRow }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += STAGE_CHUNK)
    await trx
      .insertInto('targetImportRow')
      .values(rows.slice(i, i + STAGE_CHUNK).map(({ line, row }) => ({ ...key, line, ...row })))
      .execute();
}

export function findImport(db: Conn, municipalityCode: string, importId: string) {
  return db
    .selectFrom('targetImport')
    .selectAll()
    .where('municipalityCode', '=', municipalityCode)
    .where('id', '=', importId)
    .executeTakeFirst();
}

/** The import row, locked until the end of the transaction (one confirmation at a time). */
export function lockImportForUpdate(
  trx: Transaction<Database>,
  municipalityCode: string,
  importId: string,
) {
  return trx
    .selectFrom('targetImport')
    .selectAll()
    .where('municipalityCode', '=', municipalityCode)
    .where('id', '=', importId)
    .forUpdate()
    .executeTakeFirst();
}

/** The fields an import writes; a row whose fields all match changes nothing. */
const COLUMNS = [
  'manufacture_no',
  'name',
  'name_kana',
  'birth_date',
  'sex',
  'postal_code',
  'address',
];
const FIELDS = sql.raw(COLUMNS.join(', '));
/** The fields of one table or alias: `t.manufacture_no, t.name, …`. */
const fieldsOf = (table: string) => sql.raw(COLUMNS.map((c) => `${table}.${c}`).join(', '));

/** How the staged rows compare with the city's targets: new, changed, or the same. */
export async function countStagedAgainstTargets(
  db: Conn,
  municipalityCode: string,
  importId: string,
): Promise<{ new: number; updated: number; unchanged: number }> {
  const { rows } = await sql<{ new: number; updated: number; unchanged: number }>`
    select count(*) filter (where t.id is null)::int as new,
           count(*) filter (where t.id is not null
             and (${fieldsOf('r')}) is distinct from (${fieldsOf('t')}))::int as updated,
           count(*) filter (where t.id is not null
             and (${fieldsOf('r')}) is not distinct from (${fieldsOf('t')}))::int as unchanged
    from target_import_row r
    left join pickup_target t
      on t.municipality_code = r.municipality_code and t.application_id = r.application_id
    where r.municipality_code = ${municipalityCode} and r.import_id = ${importId}`.execute(db);
  return rows[0] ?? { new: 0, updated: 0, unchanged: 0 };
}

/**
 * Applies every staged row in one statement: new application IDs become targets ('imported'),
 * known ones take the file's values when something differs. States are never touched here.
 */
export async function applyStagedRows(
  trx: Transaction<Database>,
  municipalityCode: string,
  importId: string,
): Promise<void> {
  await sql`
    insert into pickup_target (municipality_code, application_id, ${FIELDS}, import_id)
    select municipality_code, application_id, ${FIELDS}, import_id
    from target_import_row
    where municipality_code = ${municipalityCode} and import_id = ${importId}
    on conflict (municipality_code, application_id) do update set
      manufacture_no = excluded.manufacture_no, name = excluded.name,
      name_kana = excluded.name_kana, birth_date = excluded.birth_date, sex = excluded.sex,
      postal_code = excluded.postal_code, address = excluded.address,
      import_id = excluded.import_id, updated_at = now()
    where (${fieldsOf('pickup_target')}) is distinct from (${fieldsOf('excluded')})`.execute(trx);
}

export function updateImportConfirmed(
  trx: Transaction<Database>,
  key: { municipalityCode: string; importId: string },
  done: { by: string; at: Date; counts: { new: number; updated: number; unchanged: number } },
) {
  return trx
    .updateTable('targetImport')
    .set({
      state: 'confirmed',
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
