import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// The booking site's editable texts (issue 12, decision 0050), per city, piece and language.
// - booking_content_version: every save is a new row, never changed afterwards, except that
//   the first publication of a version is written on it (who and when).
// - booking_content_published: the one version residents see per city, piece and language.
// The administrators' group gets the new permission `reservations:content`, as it holds every
// permission (a new administrator's group is made with all of them).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table booking_content_version (
      municipality_code text not null,
      piece text not null
        check (piece in ('notice', 'faq', 'guide', 'terms', 'privacy', 'contact')),
      locale text not null check (locale in ('ja', 'en')),
      version integer not null check (version > 0),
      body text not null check (char_length(body) <= 20000),
      created_by uuid not null references account (id),
      created_at timestamptz not null default now(),
      published_by uuid references account (id),
      published_at timestamptz,
      check ((published_by is null) = (published_at is null)),
      primary key (municipality_code, piece, locale, version)
    )`.execute(db);

  await sql`
    create table booking_content_published (
      municipality_code text not null,
      piece text not null,
      locale text not null,
      version integer not null,
      published_by uuid not null references account (id),
      published_at timestamptz not null default now(),
      primary key (municipality_code, piece, locale),
      foreign key (municipality_code, piece, locale, version)
        references booking_content_version (municipality_code, piece, locale, version)
    )`.execute(db);

  await sql`
    insert into staff_group_permission (group_id, permission)
    select id, 'reservations:content' from staff_group where name = '管理者 Administrators'
    on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from staff_group_permission where permission = 'reservations:content'`.execute(
    db,
  );
  await sql`drop table booking_content_published`.execute(db);
  await sql`drop table booking_content_version`.execute(db);
}
