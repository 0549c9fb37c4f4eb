import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// A clerk booking during a phone call may have no email address for the caller (issue 12,
// decision 0056): booking.email may be null. Such a booking gets no mail (the clerk tells the
// caller by phone); an address given is still checked for its length.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table booking alter column email drop not null`.execute(db);
  await sql`
    alter table booking add constraint booking_email_only_by_staff
      check (email is not null or booked_via = 'staff')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table booking drop constraint booking_email_only_by_staff`.execute(db);
  await sql`update booking set email = 'no-email@invalid' where email is null`.execute(db);
  await sql`alter table booking alter column email set not null`.execute(db);
}
