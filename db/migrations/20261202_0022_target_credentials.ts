import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Reservation credentials of card-pickup targets (decision 0042): a reservation ID the resident
// types at the booking site (unique across cities: it is all the site gets), a password kept
// hashed for sign-in and sealed for reprinting the same letter, and a version that a reissue
// bumps so that QR codes printed before stop working. All three appear together or not at all.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table pickup_target
      add column reservation_id text unique check (reservation_id ~ '^[0-9]{10}$'),
      add column password_hash text,
      add column password_sealed text,
      add column credentials_version integer not null default 0,
      add column credentials_issued_at timestamptz,
      add constraint pickup_target_credentials_check check (
        (reservation_id is null) = (password_hash is null)
        and (reservation_id is null) = (password_sealed is null)
        and (reservation_id is null) = (credentials_issued_at is null))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table pickup_target
      drop column reservation_id, drop column password_hash, drop column password_sealed,
      drop column credentials_version, drop column credentials_issued_at`.execute(db);
}
