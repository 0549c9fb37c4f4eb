import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Reservations (issue 12, decision 0048): facilities, their opening hours, the city's own
// closed days, slots with exact capacity, weeks published to residents, booking rules per kind
// of appointment, and bookings with the reservation IDs (targets) they hold.
//
// The invariant that matters most lives here: a slot's places taken stay between 0 and its
// capacity whatever the code does (CHECK), and a target is in at most one active booking
// (a partial unique index). Booking takes places with one conditional update in the booking's
// transaction; a unique idempotency key makes a double submit book once.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table facility (
      municipality_code text not null,
      id uuid not null default gen_random_uuid(),
      name_ja text not null check (length(name_ja) between 1 and 200),
      name_en text not null check (length(name_en) between 1 and 200),
      address_ja text not null default '',
      address_en text not null default '',
      phone text not null default '',
      directions_ja text not null default '',
      directions_en text not null default '',
      map_image bytea,
      map_content_type text check (map_content_type in ('image/png', 'image/jpeg', 'image/webp')),
      kinds text[] not null
        check (cardinality(kinds) > 0 and kinds <@ array['card_pickup', 'cert_renewal']::text[]),
      slot_minutes integer not null default 60 check (slot_minutes in (15, 20, 30, 45, 60, 90, 120)),
      places_per_slot integer not null default 4 check (places_per_slot between 1 and 100),
      archived_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (municipality_code, id),
      check ((map_image is null) = (map_content_type is null))
    )`.execute(db);

  // Opening hours per ISO weekday (1 = Monday … 7 = Sunday); several spans a day are allowed
  // (a lunch break), never overlapping ones.
  await sql`create extension if not exists btree_gist`.execute(db);
  await sql`
    create table facility_hours (
      municipality_code text not null,
      facility_id uuid not null,
      weekday smallint not null check (weekday between 1 and 7),
      opens time not null,
      closes time not null check (closes > opens),
      primary key (municipality_code, facility_id, weekday, opens),
      foreign key (municipality_code, facility_id) references facility (municipality_code, id)
        on delete cascade,
      exclude using gist (
        municipality_code with =, facility_id with =, weekday with =,
        tsrange('2000-01-01'::date + opens, '2000-01-01'::date + closes) with &&
      )
    )`.execute(db);

  // The city's own closed days (year-end, a system change); national holidays come from a
  // library and are not stored.
  await sql`
    create table booking_closed_day (
      municipality_code text not null,
      day date not null,
      reason_ja text not null default '',
      reason_en text not null default '',
      created_by uuid references account (id),
      created_at timestamptz not null default now(),
      primary key (municipality_code, day)
    )`.execute(db);

  await sql`
    create table booking_slot (
      municipality_code text not null,
      id uuid not null default gen_random_uuid(),
      facility_id uuid not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      capacity integer not null,
      taken integer not null default 0,
      closed_at timestamptz,
      closed_by uuid references account (id),
      closed_message text,
      created_at timestamptz not null default now(),
      primary key (municipality_code, id),
      unique (municipality_code, facility_id, starts_at),
      foreign key (municipality_code, facility_id) references facility (municipality_code, id),
      check (ends_at > starts_at),
      check (capacity between 0 and 1000),
      constraint booking_slot_taken_within_capacity check (taken >= 0 and taken <= capacity)
    )`.execute(db);
  await sql`create index booking_slot_day_idx on booking_slot (municipality_code, facility_id, starts_at)`.execute(
    db,
  );

  // A week (Monday, Asia/Tokyo) of one facility made visible to residents.
  await sql`
    create table booking_week (
      municipality_code text not null,
      facility_id uuid not null,
      week_start date not null check (extract(isodow from week_start) = 1),
      published_at timestamptz not null default now(),
      published_by uuid references account (id),
      primary key (municipality_code, facility_id, week_start),
      foreign key (municipality_code, facility_id) references facility (municipality_code, id)
        on delete cascade
    )`.execute(db);

  // Rules per kind of appointment. The deadline: `deadline_working_days` working days before
  // the appointment's day, at `deadline_time` (Asia/Tokyo). Questions: a JSON list of
  // { id, type: 'text'|'choice'|'yesno', required, label: {ja,en}, choices?: [{ja,en}] }.
  await sql`
    create table booking_rule (
      municipality_code text not null,
      kind text not null check (kind in ('card_pickup', 'cert_renewal')),
      deadline_working_days integer not null default 1 check (deadline_working_days between 0 and 30),
      deadline_time time not null default '17:00',
      max_people integer not null default 4 check (max_people between 1 and 20),
      horizon_days integer not null default 60 check (horizon_days between 1 and 365),
      questions jsonb not null default '[]'::jsonb check (jsonb_typeof(questions) = 'array'),
      updated_by uuid references account (id),
      updated_at timestamptz not null default now(),
      primary key (municipality_code, kind)
    )`.execute(db);

  await sql`
    create table booking (
      municipality_code text not null,
      id uuid not null default gen_random_uuid(),
      kind text not null check (kind in ('card_pickup', 'cert_renewal')),
      slot_id uuid not null,
      places integer not null check (places between 1 and 20),
      status text not null default 'booked' check (status in ('booked', 'cancelled')),
      -- The booking this one replaced (a change keeps the old place until the new one is taken).
      replaces_id uuid,
      email text not null check (length(email) between 3 and 254),
      phone text not null default '',
      locale text not null check (locale in ('ja', 'en')),
      answers jsonb not null default '{}'::jsonb check (jsonb_typeof(answers) = 'object'),
      needs text[] not null default '{}'
        check (needs <@ array['wheelchair', 'sign_language', 'written']::text[]),
      idempotency_key text not null check (length(idempotency_key) between 8 and 200),
      booked_via text not null check (booked_via in ('letter', 'portal', 'staff')),
      booked_by_staff uuid references account (id),
      created_at timestamptz not null default now(),
      cancelled_at timestamptz,
      cancelled_by_staff uuid references account (id),
      cancel_reason text,
      primary key (municipality_code, id),
      unique (municipality_code, idempotency_key),
      foreign key (municipality_code, slot_id) references booking_slot (municipality_code, id),
      check ((status = 'cancelled') = (cancelled_at is not null))
    )`.execute(db);
  await sql`create index booking_slot_idx on booking (municipality_code, slot_id) where status = 'booked'`.execute(
    db,
  );

  // Every reservation ID a booking holds; a target is in one active booking at most.
  await sql`
    create table booking_member (
      municipality_code text not null,
      booking_id uuid not null,
      target_id uuid not null,
      active boolean not null default true,
      -- How the member was verified: the signed-in target itself, its password or its birth date.
      verified_by text not null check (verified_by in ('session', 'password', 'birth_date', 'staff')),
      primary key (municipality_code, booking_id, target_id),
      foreign key (municipality_code, booking_id) references booking (municipality_code, id)
        on delete cascade,
      foreign key (municipality_code, target_id) references pickup_target (municipality_code, id)
    )`.execute(db);
  await sql`
    create unique index booking_member_one_active on booking_member (municipality_code, target_id)
      where active`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table booking_member`.execute(db);
  await sql`drop table booking`.execute(db);
  await sql`drop table booking_rule`.execute(db);
  await sql`drop table booking_week`.execute(db);
  await sql`drop table booking_slot`.execute(db);
  await sql`drop table booking_closed_day`.execute(db);
  await sql`drop table facility_hours`.execute(db);
  await sql`drop table facility`.execute(db);
}
