import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Booking from the portal, and renewal targets' reservation credentials (issue 12, decision 0055).
// - booking_session.via gains 'portal': a resident signed in to the portal with a passkey
//   starts a booking session for the pickup target their card matches, without the letter.
// - resident_card_idx: the match looks residents up by city and card manufacture number (and
//   targets by pickup_target_manufacture_idx, which exists since migration 0019).
// - renewal_target gains reservation credentials like pickup_target's (migration 0022): a
//   reservation ID (check digit), a password hash and its sealed copy, a version a reissue
//   bumps. One reservation ID names one person across both tables: a trigger on each refuses
//   an ID the other holds, as a unique violation (the callers retry with a new ID), under an
//   advisory lock on the ID so two transactions cannot both pass.
// - booking_session signs in a pickup target or a renewal target: exactly one of the two.
// - booking_renewal_member: the renewal targets a 'cert_renewal' booking holds (one active
//   booking per renewal target), beside booking_member of the pickup targets.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table booking_session drop constraint booking_session_via_check`.execute(db);
  await sql`
    alter table booking_session add constraint booking_session_via_check
      check (via in ('password', 'qr', 'portal'))`.execute(db);
  await sql`
    create index resident_card_idx on resident (municipality_code, card_manufacture_number)
      where card_manufacture_number is not null`.execute(db);

  await sql`
    alter table renewal_target
      add column reservation_id text unique check (reservation_id ~ '^[0-9]{10}$'),
      add column password_hash text,
      add column password_sealed text,
      add column credentials_version integer not null default 0,
      add column credentials_issued_at timestamptz,
      add constraint renewal_target_credentials_check check (
        (reservation_id is null) = (password_hash is null)
        and (reservation_id is null) = (password_sealed is null)
      )`.execute(db);
  await sql`
    create function reservation_id_once() returns trigger language plpgsql as $$
    begin
      if new.reservation_id is null then return new; end if;
      perform pg_advisory_xact_lock(hashtext('reservation_id:' || new.reservation_id));
      if (tg_table_name = 'pickup_target'
          and exists (select 1 from renewal_target where reservation_id = new.reservation_id))
         or (tg_table_name = 'renewal_target'
          and exists (select 1 from pickup_target where reservation_id = new.reservation_id)) then
        raise exception 'reservation ID % is taken', new.reservation_id
          using errcode = 'unique_violation';
      end if;
      return new;
    end $$`.execute(db);
  for (const table of ['pickup_target', 'renewal_target'])
    await sql`
      create trigger reservation_id_once before insert or update of reservation_id
        on ${sql.table(table)} for each row execute function reservation_id_once()`.execute(db);

  await sql`
    alter table booking_session
      alter column target_id drop not null,
      add column renewal_target_id uuid,
      add constraint booking_session_one_target check (num_nonnulls(target_id, renewal_target_id) = 1),
      add foreign key (municipality_code, renewal_target_id)
        references renewal_target (municipality_code, id) on delete cascade`.execute(db);

  await sql`
    create table booking_renewal_member (
      municipality_code text not null,
      booking_id uuid not null,
      renewal_target_id uuid not null,
      active boolean not null default true,
      verified_by text not null check (verified_by in ('session', 'password', 'staff')),
      primary key (municipality_code, booking_id, renewal_target_id),
      foreign key (municipality_code, booking_id) references booking (municipality_code, id)
        on delete cascade,
      foreign key (municipality_code, renewal_target_id)
        references renewal_target (municipality_code, id)
    )`.execute(db);
  await sql`
    create unique index booking_renewal_member_one_active
      on booking_renewal_member (municipality_code, renewal_target_id) where active`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table booking_renewal_member`.execute(db);
  await sql`delete from booking_session where renewal_target_id is not null`.execute(db);
  await sql`
    alter table booking_session
      drop constraint booking_session_one_target,
      drop column renewal_target_id,
      alter column target_id set not null`.execute(db);
  await sql`drop trigger reservation_id_once on pickup_target`.execute(db);
  await sql`drop trigger reservation_id_once on renewal_target`.execute(db);
  await sql`drop function reservation_id_once()`.execute(db);
  await sql`
    alter table renewal_target
      drop constraint renewal_target_credentials_check,
      drop column reservation_id,
      drop column password_hash,
      drop column password_sealed,
      drop column credentials_version,
      drop column credentials_issued_at`.execute(db);
  await sql`drop index resident_card_idx`.execute(db);
  await sql`delete from booking_session where via = 'portal'`.execute(db);
  await sql`alter table booking_session drop constraint booking_session_via_check`.execute(db);
  await sql`
    alter table booking_session add constraint booking_session_via_check
      check (via in ('password', 'qr'))`.execute(db);
}
