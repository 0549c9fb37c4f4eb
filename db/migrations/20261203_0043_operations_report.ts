import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Issue 14: what the daily operations report reads that nothing kept per day before — HTTP
// requests per day in Japan, status class and duration bucket (a histogram, so the day's
// p50/p95 can be read back) — and the reports themselves, one per kind and period.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table request_day (
      day date not null,
      status_class text not null check (status_class in ('2xx', '3xx', '4xx', '5xx', 'other')),
      le_ms integer not null check (le_ms > 0),
      requests bigint not null default 0 check (requests >= 0),
      primary key (day, status_class, le_ms)
    )`.execute(db);
  await sql`
    create table operations_report (
      kind text not null check (kind in ('daily', 'weekly')),
      period_start date not null,
      period_end date not null check (period_end >= period_start),
      figures jsonb not null,
      created_at timestamptz not null default now(),
      primary key (kind, period_start)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table operations_report`.execute(db);
  await sql`drop table request_day`.execute(db);
}
