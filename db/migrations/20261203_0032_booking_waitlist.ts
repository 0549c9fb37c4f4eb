import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// The waitlist of a full slot (issue 12, decision 0054). An entry keeps everything a booking
// needs (the people, contact, answers, needs), so accepting an offer books exactly what was
// asked. Its life: waiting → offered → accepted | expired | declined; or left (the resident
// left the line) or dropped (the slot closed, a member booked elsewhere, the deadline passed).
//
// An offer HOLDS its places: they are counted in booking_slot.taken (taken with the same
// conditional update as a booking, so the slot's CHECK keeps holding), and accepting turns the
// hold into a booking without taking again. Expiry or decline gives them back.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table booking_waitlist (
      municipality_code text not null,
      id uuid not null default gen_random_uuid(),
      slot_id uuid not null,
      kind text not null check (kind in ('card_pickup', 'cert_renewal')),
      -- The signed-in target who joined; the others of the household are in members.
      target_id uuid not null,
      -- [{ targetId, verifiedBy }], the joiner first: what book() is given on acceptance.
      members jsonb not null check (jsonb_typeof(members) = 'array'),
      places integer not null check (places between 1 and 20),
      email text not null check (length(email) between 3 and 254),
      phone text not null default '',
      locale text not null check (locale in ('ja', 'en')),
      answers jsonb not null default '{}'::jsonb check (jsonb_typeof(answers) = 'object'),
      needs text[] not null default '{}'
        check (needs <@ array['wheelchair', 'sign_language', 'written']::text[]),
      -- One per join form: a double submit joins once.
      join_key text not null check (length(join_key) between 8 and 200),
      status text not null default 'waiting'
        check (status in ('waiting', 'offered', 'accepted', 'expired', 'declined', 'left', 'dropped')),
      joined_at timestamptz not null default now(),
      offered_at timestamptz,
      offer_expires_at timestamptz,
      ended_at timestamptz,
      booking_id uuid,
      primary key (municipality_code, id),
      unique (municipality_code, join_key),
      foreign key (municipality_code, slot_id) references booking_slot (municipality_code, id),
      foreign key (municipality_code, target_id) references pickup_target (municipality_code, id),
      check (status <> 'offered' or (offered_at is not null and offer_expires_at is not null)),
      check ((status in ('waiting', 'offered')) = (ended_at is null))
    )`.execute(db);
  // One live entry per target and slot.
  await sql`
    create unique index booking_waitlist_one_live on booking_waitlist
      (municipality_code, slot_id, target_id) where status in ('waiting', 'offered')`.execute(db);
  // The line of a slot: oldest waiting first.
  await sql`
    create index booking_waitlist_line on booking_waitlist (municipality_code, slot_id, joined_at)
      where status = 'waiting'`.execute(db);
  await sql`
    create index booking_waitlist_offers on booking_waitlist (offer_expires_at)
      where status = 'offered'`.execute(db);

  // How long an offer holds its places (never past the booking deadline).
  await sql`
    alter table booking_rule add column waitlist_hold_hours integer not null default 24
      check (waitlist_hold_hours between 1 and 168)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table booking_rule drop column waitlist_hold_hours`.execute(db);
  await sql`drop table booking_waitlist`.execute(db);
}
