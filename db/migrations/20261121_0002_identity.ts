import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Residents, accounts with passkeys, staff groups and permissions, sessions, enrolment
// letters, proxy grants, throttling, and the append-only hash-chained audit log.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pgcrypto`.execute(db);

  // ---- Residents, as they come from the resident register -------------------------------
  await sql`
    create table resident (
      id uuid primary key default gen_random_uuid(),
      register_code char(11) not null unique check (register_code ~ '^[0-9]{11}$'),
      name text not null check (length(name) between 1 and 200),
      name_kana text not null check (length(name_kana) between 1 and 200),
      name_latin text check (length(name_latin) <= 200),
      birth_date date not null,
      sex text not null check (sex in ('male', 'female', 'unspecified')),
      address text not null check (length(address) <= 400),
      municipality_code char(6) not null check (municipality_code ~ '^[0-9]{6}$'),
      municipality_name text not null,
      card_manufacture_number text check (card_manufacture_number ~ '^[0-9A-Z]{6,20}$'),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index resident_name_kana_idx on resident (name_kana)`.execute(db);
  await sql`create index resident_birth_date_idx on resident (birth_date)`.execute(db);
  await sql`create index resident_municipality_idx on resident (municipality_code)`.execute(db);

  // ---- Accounts: whoever signs in with a passkey ------------------------------------------
  await sql`
    create table account (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('resident', 'proxy', 'staff')),
      resident_id uuid unique references resident (id),
      display_name text not null check (length(display_name) between 1 and 200),
      email text check (email ~ '^[^@\\s]+@[^@\\s]+$'),
      webauthn_user_handle bytea not null unique default gen_random_bytes(32),
      disabled_at timestamptz,
      created_at timestamptz not null default now(),
      check ((kind = 'resident') = (resident_id is not null))
    )`.execute(db);
  await sql`create unique index account_staff_email_idx on account (lower(email)) where kind = 'staff'`.execute(
    db,
  );

  await sql`
    create table passkey (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references account (id),
      credential_id bytea not null unique,
      public_key bytea not null,
      counter bigint not null default 0 check (counter >= 0),
      transports text[] not null default '{}',
      device_type text not null check (device_type in ('singleDevice', 'multiDevice')),
      backed_up boolean not null,
      name text not null check (length(name) between 1 and 60),
      created_at timestamptz not null default now(),
      last_used_at timestamptz
    )`.execute(db);
  await sql`create index passkey_account_idx on passkey (account_id)`.execute(db);

  // ---- Staff permissions -------------------------------------------------------------------
  await sql`
    create table staff_group (
      id uuid primary key default gen_random_uuid(),
      name text not null unique check (length(name) between 1 and 100),
      description text not null default '',
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table staff_group_permission (
      group_id uuid not null references staff_group (id) on delete cascade,
      permission text not null check (permission ~ '^[a-z]+:[a-z]+$'),
      primary key (group_id, permission)
    )`.execute(db);
  await sql`
    create table staff_membership (
      account_id uuid not null references account (id),
      group_id uuid not null references staff_group (id) on delete cascade,
      primary key (account_id, group_id)
    )`.execute(db);
  await sql`
    create table staff_invitation (
      id uuid primary key default gen_random_uuid(),
      token_hash bytea not null unique,
      display_name text not null,
      email text not null,
      group_ids uuid[] not null default '{}',
      created_by uuid references account (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      account_id uuid references account (id)
    )`.execute(db);

  // ---- Sessions (only the hash of the cookie value is stored) -----------------------------
  await sql`
    create table session (
      id uuid primary key default gen_random_uuid(),
      token_hash bytea not null unique,
      account_id uuid not null references account (id),
      acting_for_resident_id uuid references resident (id),
      proxy_grant_id uuid,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      idle_expires_at timestamptz not null,
      absolute_expires_at timestamptz not null,
      ip inet,
      user_agent text,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create index session_account_idx on session (account_id, created_at desc)`.execute(db);

  await sql`
    create table webauthn_challenge (
      id uuid primary key default gen_random_uuid(),
      challenge text not null unique,
      purpose text not null check (purpose in ('register', 'authenticate')),
      account_id uuid references account (id),
      context jsonb not null default '{}',
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);

  // ---- Letters: one-time credentials printed on paper ---------------------------------------
  await sql`
    create table letter (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (code ~ '^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$'),
      purpose text not null check (purpose in ('first_access', 'pickup', 'renewal')),
      resident_id uuid not null references resident (id),
      password_hash text not null,
      password_sealed text,
      issued_by uuid references account (id),
      issued_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      revoked_at timestamptz,
      failed_attempts int not null default 0,
      locked_until timestamptz,
      idempotency_key text unique
    )`.execute(db);
  await sql`create index letter_resident_idx on letter (resident_id, issued_at desc)`.execute(db);

  await sql`
    create table throttle (
      key text primary key,
      failures int not null default 0,
      window_started_at timestamptz not null default now(),
      locked_until timestamptz
    )`.execute(db);

  // ---- Proxies (任意代理人) -------------------------------------------------------------------
  await sql`
    create table proxy_grant (
      id uuid primary key default gen_random_uuid(),
      resident_id uuid not null references resident (id),
      proxy_account_id uuid references account (id),
      proxy_name text not null check (length(proxy_name) between 1 and 200),
      scopes text[] not null check (cardinality(scopes) > 0),
      starts_at timestamptz not null,
      ends_at timestamptz not null check (ends_at > starts_at),
      invitation_token_hash bytea unique,
      invitation_expires_at timestamptz,
      created_at timestamptz not null default now(),
      accepted_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create index proxy_grant_resident_idx on proxy_grant (resident_id)`.execute(db);
  await sql`create index proxy_grant_proxy_idx on proxy_grant (proxy_account_id)`.execute(db);
  await sql`alter table session add constraint session_proxy_grant_fk foreign key (proxy_grant_id) references proxy_grant (id)`.execute(
    db,
  );

  // ---- Audit: append-only, each row chained to the previous by SHA-256 -------------------
  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default now(),
      actor_type text not null check (actor_type in ('resident', 'proxy', 'staff', 'app', 'system', 'anonymous')),
      actor_id text,
      on_behalf_of_resident_id uuid,
      action text not null check (action ~ '^[a-z_]+(\\.[a-z_]+)+$'),
      target_type text,
      target_id text,
      outcome text not null check (outcome in ('success', 'failure', 'denied')),
      ip inet,
      details jsonb not null default '{}',
      seq bigint not null unique,
      prev_hash bytea not null,
      hash bytea not null
    )`.execute(db);
  await sql`create index audit_log_occurred_idx on audit_log (occurred_at desc)`.execute(db);
  await sql`create index audit_log_actor_idx on audit_log (actor_type, actor_id, occurred_at desc)`.execute(
    db,
  );
  await sql`create index audit_log_action_idx on audit_log (action, occurred_at desc)`.execute(db);
  await sql`create index audit_log_behalf_idx on audit_log (on_behalf_of_resident_id, occurred_at desc) where on_behalf_of_resident_id is not null`.execute(
    db,
  );

  await sql`
    create table audit_chain_head (
      singleton boolean primary key default true check (singleton),
      last_seq bigint not null,
      last_hash bytea not null
    )`.execute(db);
  await sql`insert into audit_chain_head (last_seq, last_hash) values (0, '\\x00'::bytea)`.execute(
    db,
  );

  // The digest of one row given the previous row's hash: the verifier uses the same function.
  await sql`
    create function audit_row_digest(prev bytea, r audit_log) returns bytea
    language sql immutable as $$
      select sha256(prev || convert_to(concat_ws('|',
        r.seq::text, r.id::text, to_char(r.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        r.actor_type, coalesce(r.actor_id, ''), coalesce(r.on_behalf_of_resident_id::text, ''),
        r.action, coalesce(r.target_type, ''), coalesce(r.target_id, ''), r.outcome,
        coalesce(host(r.ip), ''), r.details::text), 'UTF8'))
    $$`.execute(db);

  // Rows are chained in commit order: the head row is locked until the inserting
  // transaction ends, so two writers never chain to the same predecessor. Identity ids are
  // drawn before the lock, so the chain has its own gap-free sequence number.
  await sql`
    create function audit_log_chain() returns trigger language plpgsql as $$
    declare head audit_chain_head;
    begin
      select * into head from audit_chain_head where singleton for update;
      new.seq := head.last_seq + 1;
      new.prev_hash := head.last_hash;
      new.hash := audit_row_digest(head.last_hash, new);
      update audit_chain_head set last_seq = new.seq, last_hash = new.hash where singleton;
      return new;
    end $$`.execute(db);
  await sql`create trigger audit_log_chain before insert on audit_log for each row execute function audit_log_chain()`.execute(
    db,
  );

  await sql`
    create function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger audit_log_no_update before update or delete on audit_log for each row execute function audit_log_refuse_change()`.execute(
    db,
  );
  await sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_refuse_change()`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log',
    'audit_chain_head',
    'proxy_grant',
    'throttle',
    'letter',
    'webauthn_challenge',
    'session',
    'staff_invitation',
    'staff_membership',
    'staff_group_permission',
    'staff_group',
    'passkey',
    'account',
    'resident',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop function if exists audit_row_digest, audit_log_chain, audit_log_refuse_change`.execute(
    db,
  );
}
