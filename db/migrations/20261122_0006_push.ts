import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Push delivery: one campaign per notice, its fan-out cut into batches over ranges of
// push_registration ids (each batch is one pg-boss job and carries its own checkpoint),
// failures kept one row each, and per-notice-and-day aggregates instead of a row per send.
export async function up(db: Kysely<any>): Promise<void> {
  // The fan-out walks live registrations in id order.
  await sql`create index push_registration_active_idx on push_registration (id) where deactivated_at is null`.execute(
    db,
  );

  await sql`
    create table push_campaign (
      id uuid primary key default gen_random_uuid(),
      notice_id uuid not null unique references notice (id),
      scope text not null check (scope in ('broadcast', 'targeted')),
      state text not null default 'running'
        check (state in ('running', 'paused', 'cancelled', 'done')),
      window_start timestamptz not null,
      window_end timestamptz not null,
      -- Quiet hours as minutes after midnight, Asia/Tokyo; both null when there are none.
      quiet_start smallint check (quiet_start between 0 and 1439),
      quiet_end smallint check (quiet_end between 0 and 1439),
      devices int not null check (devices >= 0),
      batches int not null check (batches >= 0),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      finished_at timestamptz,
      check (window_end >= window_start),
      check ((quiet_start is null) = (quiet_end is null)),
      check ((state in ('cancelled', 'done')) = (finished_at is not null))
    )`.execute(db);
  await sql`create index push_campaign_recent_idx on push_campaign (created_at desc)`.execute(db);

  // A batch covers registrations with lo < id <= hi; cursor is the last id handled (the
  // checkpoint, written after every chunk), so a restarted batch resumes after it.
  await sql`
    create table push_batch (
      campaign_id uuid not null references push_campaign (id) on delete cascade,
      seq int not null check (seq >= 0),
      lo uuid not null,
      hi uuid not null,
      cursor uuid not null,
      due_at timestamptz not null,
      state text not null default 'pending' check (state in ('pending', 'done', 'cancelled')),
      sent int not null default 0 check (sent >= 0),
      failed int not null default 0 check (failed >= 0),
      deactivated int not null default 0 check (deactivated >= 0),
      started_at timestamptz,
      done_at timestamptz,
      primary key (campaign_id, seq),
      check (lo < hi and cursor >= lo and cursor <= hi),
      check ((state = 'pending') = (done_at is null))
    )`.execute(db);
  // "Is anything left?" after each batch, and the resume walk, read only pending batches.
  await sql`create index push_batch_pending_idx on push_batch (campaign_id, seq) where state = 'pending'`.execute(
    db,
  );

  // Only failures are kept one row each (permanent refusals and retries given up on).
  await sql`
    create table push_failure (
      id bigint generated always as identity primary key,
      campaign_id uuid not null references push_campaign (id) on delete cascade,
      registration_id uuid not null references push_registration (id),
      channel text not null,
      class text not null check (class in ('permanent', 'retry-exhausted', 'error')),
      status int,
      detail text check (length(detail) <= 500),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index push_failure_campaign_idx on push_failure (campaign_id, id desc)`.execute(
    db,
  );

  // Delivery figures per notice and day (Asia/Tokyo): sent, failed, deactivated.
  await sql`
    create table push_daily (
      notice_id uuid not null references notice (id),
      day date not null,
      sent bigint not null default 0 check (sent >= 0),
      failed bigint not null default 0 check (failed >= 0),
      deactivated bigint not null default 0 check (deactivated >= 0),
      primary key (notice_id, day)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['push_daily', 'push_failure', 'push_batch', 'push_campaign']) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop index if exists push_registration_active_idx`.execute(db);
}
