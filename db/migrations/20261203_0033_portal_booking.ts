import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Booking from the portal (issue 12, decision 0055).
// - booking_session.via gains 'portal': a resident signed in to the portal with a passkey
//   starts a booking session for the pickup target their card matches, without the letter.
// - resident_card_idx: the match looks residents up by city and card manufacture number (and
//   targets by pickup_target_manufacture_idx, which exists since migration 0019).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table booking_session drop constraint booking_session_via_check`.execute(db);
  await sql`
    alter table booking_session add constraint booking_session_via_check
      check (via in ('password', 'qr', 'portal'))`.execute(db);
  await sql`
    create index resident_card_idx on resident (municipality_code, card_manufacture_number)
      where card_manufacture_number is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index resident_card_idx`.execute(db);
  await sql`delete from booking_session where via = 'portal'`.execute(db);
  await sql`alter table booking_session drop constraint booking_session_via_check`.execute(db);
  await sql`
    alter table booking_session add constraint booking_session_via_check
      check (via in ('password', 'qr'))`.execute(db);
}
