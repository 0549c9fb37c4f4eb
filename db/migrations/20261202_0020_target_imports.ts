import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Imports of the CS terminal's card-issuance list (decision 0042): an upload is parsed into
// staging rows (target_import_row), previewed as a query on staging, and confirmed once, when
// one transaction applies every good row to pickup_target. A file already imported for the
// city (same SHA-256) is recognised; one import is confirmed at most once (its state moves
// staged → confirmed in the applying transaction).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table target_import (
      municipality_code text not null,
      id uuid not null default gen_random_uuid(),
      file_name text not null check (length(file_name) between 1 and 255),
      file_sha256 bytea not null,
      encoding text not null check (encoding in ('utf-8', 'shift_jis')),
      state text not null default 'staged' check (state in ('staged', 'confirmed', 'discarded')),
      line_count integer not null,
      problems jsonb not null default '[]',
      created_by uuid not null references account (id),
      created_at timestamptz not null default now(),
      confirmed_by uuid references account (id),
      confirmed_at timestamptz,
      new_count integer,
      updated_count integer,
      unchanged_count integer,
      primary key (municipality_code, id),
      check ((state = 'confirmed') = (confirmed_at is not null))
    )`.execute(db);
  await sql`create unique index target_import_confirmed_file_idx on target_import (municipality_code, file_sha256) where state = 'confirmed'`.execute(
    db,
  );
  await sql`
    create table target_import_row (
      municipality_code text not null,
      import_id uuid not null,
      line integer not null,
      application_id text not null,
      manufacture_no text not null,
      name text not null,
      name_kana text,
      birth_date date not null,
      sex text not null,
      postal_code text,
      address text not null,
      primary key (municipality_code, import_id, line),
      unique (municipality_code, import_id, application_id),
      foreign key (municipality_code, import_id) references target_import (municipality_code, id) on delete cascade
    )`.execute(db);
  await sql`alter table pickup_target add column import_id uuid, add column updated_at timestamptz not null default now()`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table pickup_target drop column import_id, drop column updated_at`.execute(db);
  await sql`drop table target_import_row`.execute(db);
  await sql`drop table target_import`.execute(db);
}
