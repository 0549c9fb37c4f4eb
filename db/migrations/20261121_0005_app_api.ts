import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// App clients, account links (one live device per resident), authorization codes with PKCE,
// rotating refresh-token families, push registrations (stored here, sent by the push issue)
// and one-time SSO tickets.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table app_client (
      id text primary key check (id ~ '^[a-z0-9][a-z0-9_-]{2,63}$'),
      name text not null check (length(name) between 1 and 200),
      redirect_uris text[] not null check (cardinality(redirect_uris) between 1 and 10),
      created_by uuid references account (id),
      created_at timestamptz not null default now(),
      disabled_at timestamptz
    )`.execute(db);

  // An account link: the resident's one linked device for a client. A new link ends the
  // previous one (end_reason 'replaced'); the partial unique index allows one live link.
  await sql`
    create table app_link (
      id uuid primary key default gen_random_uuid(),
      resident_id uuid not null references resident (id),
      client_id text not null references app_client (id),
      device_name text,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      ended_at timestamptz,
      end_reason text check (end_reason in ('replaced', 'app_unlinked', 'resident_unlinked', 'token_reuse', 'client_disabled')),
      check ((ended_at is null) = (end_reason is null))
    )`.execute(db);
  await sql`create unique index app_link_live_idx on app_link (resident_id) where ended_at is null`.execute(
    db,
  );

  await sql`
    create table app_authorization_code (
      code_hash bytea primary key,
      client_id text not null references app_client (id),
      resident_id uuid not null references resident (id),
      redirect_uri text not null,
      code_challenge text not null check (code_challenge ~ '^[A-Za-z0-9_-]{43}$'),
      device_name text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);

  // Refresh tokens rotate on every use; presenting a rotated one revokes its whole family
  // (the link ends with 'token_reuse'). Only hashes are stored.
  await sql`
    create table app_refresh_token (
      token_hash bytea primary key,
      family_id uuid not null,
      link_id uuid not null references app_link (id),
      issued_at timestamptz not null default now(),
      expires_at timestamptz not null,
      rotated_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create index app_refresh_token_family_idx on app_refresh_token (family_id)`.execute(db);
  await sql`create index app_refresh_token_link_idx on app_refresh_token (link_id)`.execute(db);

  await sql`
    create table push_registration (
      id uuid primary key default gen_random_uuid(),
      resident_id uuid not null references resident (id),
      link_id uuid references app_link (id),
      channel text not null check (channel in ('fcm', 'apns', 'webpush')),
      token text not null check (length(token) between 8 and 4096),
      p256dh text,
      auth text,
      locale text not null default 'ja' check (locale in ('ja', 'en')),
      created_at timestamptz not null default now(),
      deactivated_at timestamptz,
      deactivation_reason text,
      check ((channel = 'webpush') = (p256dh is not null and auth is not null))
    )`.execute(db);
  await sql`create unique index push_registration_token_idx on push_registration (channel, token) where deactivated_at is null`.execute(
    db,
  );
  await sql`create index push_registration_resident_idx on push_registration (resident_id) where deactivated_at is null`.execute(
    db,
  );

  await sql`
    create table sso_ticket (
      ticket_hash bytea primary key,
      resident_id uuid not null references resident (id),
      client_id text not null references app_client (id),
      path text not null check (path ~ '^/(ja|en)(/|$)'),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'sso_ticket',
    'push_registration',
    'app_refresh_token',
    'app_authorization_code',
    'app_link',
    'app_client',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
}
