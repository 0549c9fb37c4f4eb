import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Issue 13: a notice whose news reaches the resident's apps by their own event push (a
// credential revocation's `credential_revoked`) is pushed to browser registrations only, so a
// device hears of one revocation once. True for every notice so far: all registrations.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table notice add column push_apps boolean not null default true`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table notice drop column push_apps`.execute(db);
}
