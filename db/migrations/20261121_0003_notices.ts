import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Notices (one row per broadcast whatever its audience; recipient rows only for targeted
// notices; a read row only when a resident opens one), to-dos, and insurance qualifications.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table notice (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('broadcast', 'targeted')),
      audience text not null check (audience in ('all', 'municipality', 'list')),
      municipality_code char(6) check (municipality_code ~ '^[0-9]{6}$'),
      sender text not null check (sender ~ '^[a-z_]+$'),
      title_ja text check (length(title_ja) between 1 and 200),
      title_en text check (length(title_en) between 1 and 200),
      body_ja text check (length(body_ja) <= 20000),
      body_en text check (length(body_en) <= 20000),
      publish_at timestamptz not null,
      expires_at timestamptz,
      withdrawn_at timestamptz,
      audience_size int check (audience_size >= 0),
      created_by uuid references account (id),
      created_at timestamptz not null default now(),
      idempotency_key text unique,
      check (title_ja is not null or title_en is not null),
      check ((title_ja is null) = (body_ja is null) and (title_en is null) = (body_en is null)),
      check ((audience = 'municipality') = (municipality_code is not null)),
      check ((kind = 'broadcast') = (audience in ('all', 'municipality'))),
      check (expires_at is null or expires_at > publish_at)
    )`.execute(db);
  // Broadcast inbox walk: newest first, keyset on (publish_at, id).
  await sql`create index notice_broadcast_idx on notice (publish_at desc, id desc) where kind = 'broadcast'`.execute(
    db,
  );

  // One row per resident per targeted notice; publish_at is copied so a resident's inbox is
  // one index range scan. resident_id leads every key (hash-partitionable, see DESIGN.md).
  await sql`
    create table notice_recipient (
      resident_id uuid not null references resident (id),
      notice_id uuid not null references notice (id),
      publish_at timestamptz not null,
      primary key (resident_id, notice_id)
    )`.execute(db);
  await sql`create index notice_recipient_inbox_idx on notice_recipient (resident_id, publish_at desc, notice_id desc)`.execute(
    db,
  );
  await sql`create index notice_recipient_notice_idx on notice_recipient (notice_id)`.execute(db);

  // Sparse read state: a row only when opened; the primary key makes "first open" happen once.
  await sql`
    create table notice_read (
      resident_id uuid not null references resident (id),
      notice_id uuid not null references notice (id),
      first_opened_at timestamptz not null default now(),
      primary key (resident_id, notice_id)
    )`.execute(db);
  await sql`create index notice_read_notice_idx on notice_read (notice_id, first_opened_at)`.execute(
    db,
  );

  await sql`
    create table todo (
      id uuid primary key default gen_random_uuid(),
      resident_id uuid not null references resident (id),
      title_ja text check (length(title_ja) between 1 and 200),
      title_en text check (length(title_en) between 1 and 200),
      description_ja text check (length(description_ja) <= 2000),
      description_en text check (length(description_en) <= 2000),
      due_date date,
      action_url text check (action_url ~ '^(/|https://)'),
      status text not null default 'open' check (status in ('open', 'done', 'dismissed')),
      source text not null check (source in ('staff', 'system')),
      kind text,
      created_by uuid references account (id),
      created_at timestamptz not null default now(),
      status_changed_at timestamptz,
      idempotency_key text unique,
      check (title_ja is not null or title_en is not null)
    )`.execute(db);
  await sql`create index todo_resident_idx on todo (resident_id, status, due_date)`.execute(db);
  // The system creates at most one open to-do of a kind per resident ("book your card pickup").
  await sql`create unique index todo_open_kind_idx on todo (resident_id, kind) where status = 'open' and kind is not null`.execute(
    db,
  );

  await sql`
    create table insurance_qualification (
      resident_id uuid not null references resident (id),
      insurer_number text not null check (insurer_number ~ '^[0-9]{6,8}$'),
      insurer_name text not null check (length(insurer_name) between 1 and 200),
      symbol text not null check (length(symbol) <= 40),
      number text not null check (length(number) between 1 and 40),
      branch text check (branch ~ '^[0-9]{2}$'),
      qualified_from date not null,
      qualified_until date,
      copayment_percent smallint not null check (copayment_percent in (10, 20, 30)),
      updated_at timestamptz not null default now(),
      primary key (resident_id, insurer_number, qualified_from),
      check (qualified_until is null or qualified_until >= qualified_from)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'insurance_qualification',
    'todo',
    'notice_read',
    'notice_recipient',
    'notice',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
}
