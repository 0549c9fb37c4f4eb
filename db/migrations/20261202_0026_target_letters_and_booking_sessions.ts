import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Reservation letters and the booking site's sign-in (issue 11, decision 0045).
// - target_letter_batch: the targets one print run chose, so that the print page shows
//   exactly those letters (and only to the staff member who printed them, for a short while).
// - booking_session: a resident signed in to the booking site with a letter's reservation ID
//   and password (or its QR code). Not the portal's session: its own table and cookie. The
//   credentials version it was opened with is kept: a reissued password ends it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table target_letter_batch (
      municipality_code text not null,
      id uuid not null default gen_random_uuid(),
      target_ids uuid[] not null check (cardinality(target_ids) > 0),
      filter jsonb not null,
      created_by uuid not null references account (id),
      created_at timestamptz not null default now(),
      primary key (municipality_code, id)
    )`.execute(db);

  await sql`
    create table booking_session (
      id uuid primary key default gen_random_uuid(),
      token_hash bytea not null unique,
      municipality_code text not null,
      target_id uuid not null,
      credentials_version integer not null,
      via text not null check (via in ('password', 'qr')),
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      idle_expires_at timestamptz not null,
      absolute_expires_at timestamptz not null,
      ended_at timestamptz,
      foreign key (municipality_code, target_id) references pickup_target (municipality_code, id)
        on delete cascade
    )`.execute(db);
  await sql`create index booking_session_target_idx on booking_session (municipality_code, target_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table booking_session`.execute(db);
  await sql`drop table target_letter_batch`.execute(db);
}
