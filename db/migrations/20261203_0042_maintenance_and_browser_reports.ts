import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Issue 14 (decision 0065): maintenance windows staff schedule ahead, and what browsers tell
// us about pages: uncaught errors and CSP violations grouped per day, and page views per
// route pattern and day. None of them holds a person: no account, address or cookie.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table maintenance_window (
      id uuid primary key default gen_random_uuid(),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      message_ja text not null default '' check (length(message_ja) <= 500),
      message_en text not null default '' check (length(message_en) <= 500),
      created_by uuid not null references account (id),
      created_at timestamptz not null default now(),
      cancelled_at timestamptz,
      cancelled_by uuid references account (id),
      check (ends_at > starts_at),
      check ((cancelled_at is null) = (cancelled_by is null))
    )`.execute(db);
  // The schedule cache reads the windows not yet over, every few seconds.
  await sql`
    create index maintenance_window_open on maintenance_window (ends_at)
      where cancelled_at is null`.execute(db);

  await sql`
    create table browser_error_day (
      day date not null,
      route text not null check (length(route) <= 200),
      kind text not null check (kind in ('error', 'rejection', 'csp')),
      message text not null check (length(message) <= 500),
      count integer not null default 0,
      examples jsonb not null default '[]',
      last_seen_at timestamptz not null default now(),
      primary key (day, route, kind, message)
    )`.execute(db);

  await sql`
    create table page_view_day (
      day date not null,
      route text not null check (length(route) <= 200),
      views bigint not null default 0,
      primary key (day, route)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table page_view_day`.execute(db);
  await sql`drop table browser_error_day`.execute(db);
  await sql`drop table maintenance_window`.execute(db);
}
