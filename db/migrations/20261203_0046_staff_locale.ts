import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Issue 14: the language a staff member uses the admin pages in (the one they last signed in
// or accepted their invitation in), so mail to staff — the weekly operations summary — can be
// written in it. Null until they sign in once; then mail is in Japanese.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table account add column locale text check (locale in ('ja', 'en'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table account drop column locale`.execute(db);
}
