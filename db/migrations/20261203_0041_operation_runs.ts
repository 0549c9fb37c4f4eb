import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Outcomes of operations jobs (decision 0064): each base backup run and each weekly restore
// check, failed ones included. Kept in the database, not beside the backups, because a
// backup folder that is full or unwritable is exactly when the failure must still be told.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table operation_run (
      id bigint generated always as identity primary key,
      kind text not null check (kind in ('backup', 'verify-backup')),
      started_at timestamptz not null,
      finished_at timestamptz not null,
      ok boolean not null,
      backup_id text,
      detail text not null check (length(detail) <= 4000)
    )`.execute(db);
  await sql`create index operation_run_latest_idx on operation_run (kind, finished_at desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table operation_run`.execute(db);
}
