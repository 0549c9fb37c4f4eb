import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// A household member on an e-certificate renewal booking may be verified by their date of
// birth, as a pickup target's may (issue 12, decision 0055 addendum): booking_renewal_member's
// verified_by takes 'birth_date' too.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table booking_renewal_member
      drop constraint booking_renewal_member_verified_by_check,
      add constraint booking_renewal_member_verified_by_check
        check (verified_by in ('session', 'password', 'birth_date', 'staff'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    update booking_renewal_member set verified_by = 'password'
     where verified_by = 'birth_date'`.execute(db);
  await sql`
    alter table booking_renewal_member
      drop constraint booking_renewal_member_verified_by_check,
      add constraint booking_renewal_member_verified_by_check
        check (verified_by in ('session', 'password', 'staff'))`.execute(db);
}
