import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Decision 0060, addendum "the request row is its own queue": the credential request row is
// the issuance queue, no pg-boss job per request. A worker claims pending rows with
// `for update skip locked` and a lease (claimed_until); a failed attempt counts in attempts,
// keeps its last error and is tried again after claimed_until (the backoff); after the last
// attempt the row is dead (dead_at) until an operator retries it. A request's commit wakes
// the workers: a statement-level trigger sends one NOTIFY per inserting statement (delivered
// at commit, never for a rolled-back insert). The state check is unchanged: a dead request is
// still pending for the app (the deferred endpoint answers 202), as a dead-lettered job left it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table credential_issuance_request
      add column attempts integer not null default 0 check (attempts >= 0),
      add column claimed_until timestamptz,
      add column last_error text check (length(last_error) <= 1000),
      add column dead_at timestamptz,
      add check (dead_at is null or state = 'pending')`.execute(db);
  // What the worker claims: pending, not dead, in request order.
  await sql`
    create index credential_issuance_request_claimable
      on credential_issuance_request (created_at)
      where state = 'pending' and dead_at is null`.execute(db);
  await sql`
    create index credential_issuance_request_dead on credential_issuance_request (dead_at)
      where dead_at is not null`.execute(db);
  await sql`
    create function credential_issuance_request_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('credentials_issue', '');
      return null;
    end $$`.execute(db);
  await sql`
    create trigger credential_issuance_request_notify
      after insert on credential_issuance_request
      for each statement execute function credential_issuance_request_notify()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger credential_issuance_request_notify on credential_issuance_request`.execute(
    db,
  );
  await sql`drop function credential_issuance_request_notify()`.execute(db);
  await sql`drop index credential_issuance_request_dead`.execute(db);
  await sql`drop index credential_issuance_request_claimable`.execute(db);
  await sql`
    alter table credential_issuance_request
      drop column dead_at, drop column last_error, drop column claimed_until,
      drop column attempts`.execute(db);
}
