import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// The card-pickup list is staged by a job (decision 0043), not in the upload's request: the
// upload stores the file's bytes on its import row (state 'staging') and queues
// `targets.import`; the job reads them in chunks, writes staging rows and refused lines chunk
// by chunk with its progress (lines_read of lines_total), clears the bytes and moves the
// import to 'staged' — or to 'failed' with a reason, when nothing can be applied. Refused
// lines get their own table so a page of them is a query, however many there are.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table target_import drop constraint target_import_state_check`.execute(db);
  await sql`
    alter table target_import
      add constraint target_import_state_check
        check (state in ('staging', 'staged', 'failed', 'confirmed', 'discarded')),
      alter column line_count drop not null,
      add column file_bytes bytea,
      add column lines_total integer not null default 0 check (lines_total >= 0),
      add column lines_read integer not null default 0 check (lines_read >= 0),
      add column rows_count integer,
      add column rejected_count integer,
      add column failure text,
      add column staged_at timestamptz,
      add constraint target_import_bytes_only_while_staging
        check (file_bytes is null or state = 'staging'),
      add constraint target_import_failure_only_when_failed
        check ((state = 'failed') = (failure is not null))`.execute(db);
  await sql`
    create table target_import_problem (
      municipality_code text not null,
      import_id uuid not null,
      line integer not null,
      problem jsonb not null,
      primary key (municipality_code, import_id, line),
      foreign key (municipality_code, import_id) references target_import (municipality_code, id) on delete cascade
    )`.execute(db);
  await sql`
    insert into target_import_problem (municipality_code, import_id, line, problem)
    select i.municipality_code, i.id, (p->>'line')::int, p
    from target_import i, jsonb_array_elements(i.problems) p
    on conflict do nothing`.execute(db);
  await sql`
    update target_import set rejected_count = jsonb_array_length(problems),
      rows_count = line_count - jsonb_array_length(problems),
      lines_total = line_count, lines_read = line_count, staged_at = created_at`.execute(db);
  await sql`alter table target_import drop column problems`.execute(db);
  await sql`create index target_import_recent_idx on target_import (municipality_code, created_at desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index target_import_recent_idx`.execute(db);
  await sql`alter table target_import add column problems jsonb not null default '[]'`.execute(db);
  await sql`
    update target_import i set problems = coalesce((
      select jsonb_agg(p.problem order by p.line) from target_import_problem p
      where p.municipality_code = i.municipality_code and p.import_id = i.id), '[]')`.execute(db);
  await sql`drop table target_import_problem`.execute(db);
  await sql`delete from target_import where state in ('staging', 'failed')`.execute(db);
  await sql`
    alter table target_import
      drop constraint target_import_failure_only_when_failed,
      drop constraint target_import_bytes_only_while_staging,
      drop column staged_at, drop column failure, drop column rejected_count,
      drop column rows_count, drop column lines_read, drop column lines_total,
      drop column file_bytes,
      drop constraint target_import_state_check`.execute(db);
  await sql`update target_import set line_count = 0 where line_count is null`.execute(db);
  await sql`
    alter table target_import alter column line_count set not null,
      add constraint target_import_state_check
        check (state in ('staged', 'confirmed', 'discarded'))`.execute(db);
}
