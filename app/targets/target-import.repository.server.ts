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

/** An uploaded file, waiting for the job that stages it (state 'staging'). */
export function insertUploadedImport(
  trx: Transaction<Database>,
  values: {
    municipalityCode: string;
    fileName: string;
    fileSha256: Buffer;
    fileBytes: Uint8Array;
    encoding: 'utf-8' | 'shift_jis';
    linesTotal: number;
    createdBy: string;
  },
) {
  return trx
    .insertInto('targetImport')
    .values({ ...values, state: 'staging' })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** The file of an import still being staged, or nothing (staged, failed or gone). */
export function findFileToStage(db: Conn, municipalityCode: string, importId: string) {
  return db
    .selectFrom('targetImport')
    .select(['fileBytes', 'encoding'])
    .where('municipalityCode', '=', municipalityCode)
    .where('id', '=', importId)
    .where('state', '=', 'staging')
    .executeTakeFirst();
}

/** Every staged row and refused line of an import. */
async function deleteStaged(db: Conn, key: { municipalityCode: string; importId: string }) {
  for (const table of ['targetImportRow', 'targetImportProblem'] as const)
    await db
      .deleteFrom(table)
      .where('municipalityCode', '=', key.municipalityCode)
      .where('importId', '=', key.importId)
      .execute();
}

/** Forgets what an earlier, interrupted run of the job staged: the run starts again. */
export async function clearStaging(
  db: Conn,
  key: { municipalityCode: string; importId: string },
): Promise<void> {
  await deleteStaged(db, key);
  await db
    .updateTable('targetImport')
    .set({ linesRead: 0 })
    .where('municipalityCode', '=', key.municipalityCode)
    .where('id', '=', key.importId)
    .execute();
}

export async function insertProblems(
  trx: Transaction<Database>,
  key: { municipalityCode: string; importId: string },
  problems: readonly { line: number }[],
): Promise<void> {
  for (let i = 0; i < problems.length; i += STAGE_CHUNK)
    await trx
      .insertInto('targetImportProblem')
      .values(
        problems.slice(i, i + STAGE_CHUNK).map((problem) => ({
          ...key,
          line: problem.line,
          // Sent as text and cast: postgres.js would JSON-encode a string parameter typed jsonb again.
          problem: sql<string>`${JSON.stringify(problem)}::text::jsonb`,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
}

export function updateProgress(
  trx: Transaction<Database>,
  key: { municipalityCode: string; importId: string },
  linesRead: number,
) {
  return trx
    .updateTable('targetImport')
    .set({ linesRead })
    .where('municipalityCode', '=', key.municipalityCode)
    .where('id', '=', key.importId)
    .where('state', '=', 'staging')
    .executeTakeFirst();
}

/** Staged: the counts are known and the file's bytes are no longer kept. */
export function updateImportStaged(
  trx: Transaction<Database>,
  key: { municipalityCode: string; importId: string },
  done: { rows: number; rejected: number; linesRead: number; at: Date },
) {
  return trx
    .updateTable('targetImport')
    .set({
      state: 'staged',
      fileBytes: null,
      lineCount: done.rows + done.rejected,
      rowsCount: done.rows,
      rejectedCount: done.rejected,
      linesRead: done.linesRead,
      stagedAt: done.at,
    })
    .where('municipalityCode', '=', key.municipalityCode)
    .where('id', '=', key.importId)
    .where('state', '=', 'staging')
    .returning('createdBy')
    .executeTakeFirst();
}

/** Failed: nothing staged is kept, nor the file; the reason stays for the page. */
export async function updateImportFailed(
  db: Conn,
  key: { municipalityCode: string; importId: string },
  failure: string,
): Promise<boolean> {
  const updated = await db
    .updateTable('targetImport')
    .set({ state: 'failed', failure, fileBytes: null })
    .where('municipalityCode', '=', key.municipalityCode)
    .where('id', '=', key.importId)
    .where('state', '=', 'staging')
    .executeTakeFirst();
  // Only a failed import loses what was staged: a staged one keeps its preview.
  if (updated.numUpdatedRows === 0n) return false;
  await deleteStaged(db, key);
  return true;
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

/** The columns of an import row a page shows (never the file's bytes). */
const IMPORT_COLUMNS = [
  'id',
  'fileName',
  'state',
  'linesTotal',
  'linesRead',
  'rowsCount',
  'rejectedCount',
  'failure',
  'createdAt',
  'stagedAt',
  'confirmedAt',
  'newCount',
  'updatedCount',
  'unchangedCount',
] as const;

export function findImport(db: Conn, municipalityCode: string, importId: string) {
  return db
    .selectFrom('targetImport')
    .select(IMPORT_COLUMNS)
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
    .select(IMPORT_COLUMNS)
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

/** The city's latest imports, newest first, with who uploaded each. */
export function listRecentImports(db: Conn, municipalityCode: string, limit: number) {
  return db
    .selectFrom('targetImport as i')
    .innerJoin('account as a', 'a.id', 'i.createdBy')
    .select([
      'i.id',
      'i.fileName',
      'i.state',
      'i.createdAt',
      'i.linesTotal',
      'i.linesRead',
      'i.rowsCount',
      'i.rejectedCount',
      'i.newCount',
      'i.updatedCount',
      'i.unchangedCount',
      'a.displayName as createdByName',
    ])
    .where('i.municipalityCode', '=', municipalityCode)
    .orderBy('i.createdAt', 'desc')
    .limit(limit)
    .execute();
}

/** One page of an import's refused lines, in line order. */
export async function findProblems(
  db: Conn,
  key: { municipalityCode: string; importId: string },
  page: { offset: number; limit: number },
): Promise<unknown[]> {
  const rows = await db
    .selectFrom('targetImportProblem')
    .select('problem')
    .where('municipalityCode', '=', key.municipalityCode)
    .where('importId', '=', key.importId)
    .orderBy('line')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return rows.map((r) => r.problem);
}

export type TargetFields = {
  manufactureNo: string;
  name: string;
  nameKana: string | null;
  birthDate: string;
  sex: string;
  postalCode: string | null;
  address: string;
};

/** The first staged rows that would change a known target: the target's values and the file's. */
export async function findChangedRows(
  db: Conn,
  key: { municipalityCode: string; importId: string },
  limit: number,
): Promise<{ line: number; applicationId: string; before: TargetFields; after: TargetFields }[]> {
  const { rows } = await sql<{
    line: number;
    applicationId: string;
    before: TargetFields;
    after: TargetFields;
  }>`
    select r.line, r.application_id as "applicationId",
      json_build_object('manufactureNo', t.manufacture_no, 'name', t.name, 'nameKana', t.name_kana,
        'birthDate', t.birth_date::text, 'sex', t.sex, 'postalCode', t.postal_code,
        'address', t.address) as before,
      json_build_object('manufactureNo', r.manufacture_no, 'name', r.name, 'nameKana', r.name_kana,
        'birthDate', r.birth_date::text, 'sex', r.sex, 'postalCode', r.postal_code,
        'address', r.address) as after
    from target_import_row r
    join pickup_target t
      on t.municipality_code = r.municipality_code and t.application_id = r.application_id
    where r.municipality_code = ${key.municipalityCode} and r.import_id = ${key.importId}
      and (${fieldsOf('r')}) is distinct from (${fieldsOf('t')})
    order by r.line
    limit ${limit}`.execute(db);
  return rows;
}

/** Discarded: the staged rows go; the import row stays as a record of the upload. */
export async function discardStaged(
  trx: Transaction<Database>,
  key: { municipalityCode: string; importId: string },
): Promise<void> {
  await trx
    .deleteFrom('targetImportRow')
    .where('municipalityCode', '=', key.municipalityCode)
    .where('importId', '=', key.importId)
    .execute();
  await trx
    .updateTable('targetImport')
    .set({ state: 'discarded' })
    .where('municipalityCode', '=', key.municipalityCode)
    .where('id', '=', key.importId)
    .execute();
}
