import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// mdoc issuance over OpenID4VCI (issue 13, decision 0059):
// - resident_card: the card's validity as the register gives it (an mdoc never outlives it).
// - resident_register_end: a resident who moved out or died gets no new credential.
// - credential_nonce: c_nonces of the nonce endpoint, stored as SHA-256, used once.
// - credential_status_list: Token Status Lists; next_index hands out each index once.
// - credential_issuance_request: one credential request of a linked app (its proofs' device
//   keys, the transaction id as SHA-256, a state the job moves once).
// - issued_credential: one mdoc per proof key, its status list index, validity and signer,
//   the IssuerSigned bytes until the app collects them, and its revocation.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table resident_card (
      resident_id uuid primary key references resident (id),
      issued_on date not null,
      expires_on date not null,
      updated_at timestamptz not null default now(),
      check (expires_on >= issued_on)
    )`.execute(db);
  await sql`
    create table resident_register_end (
      resident_id uuid primary key references resident (id),
      reason text not null check (reason in ('moved_out', 'died')),
      ended_on date not null,
      recorded_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table credential_nonce (
      nonce_hash bytea primary key check (length(nonce_hash) = 32),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index credential_nonce_expiry on credential_nonce (expires_at)`.execute(db);
  await sql`
    create table credential_status_list (
      id integer generated always as identity primary key,
      size integer not null check (size > 0),
      next_index integer not null default 0,
      created_at timestamptz not null default now(),
      check (next_index between 0 and size)
    )`.execute(db);
  await sql`
    create table credential_issuance_request (
      resident_id uuid not null references resident (id),
      id uuid not null default gen_random_uuid(),
      link_id uuid not null,
      client_id text not null references app_client (id),
      configuration_id text not null check (length(configuration_id) between 1 and 200),
      state text not null default 'pending' check (state in ('pending', 'issued', 'failed')),
      failure text check (failure ~ '^[a-z_]{1,64}$'),
      transaction_hash bytea not null unique check (length(transaction_hash) = 32),
      proofs_hash bytea not null check (length(proofs_hash) = 32),
      device_keys jsonb not null check (jsonb_typeof(device_keys) = 'array'),
      notification_id text not null unique,
      notification_event text
        check (notification_event in ('credential_accepted', 'credential_failure', 'credential_deleted')),
      notified_at timestamptz,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      collected_at timestamptz,
      primary key (resident_id, id),
      unique (resident_id, proofs_hash),
      foreign key (resident_id, link_id) references app_link (resident_id, id),
      check ((state = 'failed') = (failure is not null)),
      check ((state = 'pending') = (finished_at is null)),
      check ((notification_event is null) = (notified_at is null))
    )`.execute(db);
  await sql`
    create index credential_issuance_request_pending on credential_issuance_request (created_at)
    where state = 'pending'`.execute(db);
  await sql`
    create table issued_credential (
      resident_id uuid not null references resident (id),
      id uuid not null default gen_random_uuid(),
      request_id uuid not null,
      doctype text not null,
      document_number text not null unique,
      device_key_thumbprint text not null,
      status_list_id integer not null references credential_status_list (id),
      status_index integer not null check (status_index >= 0),
      signer_id text not null,
      signed_at timestamptz not null,
      valid_from timestamptz not null,
      valid_until timestamptz not null,
      issuer_signed bytea,
      collected_at timestamptz,
      revoked_at timestamptz,
      revoked_by uuid references account (id),
      revoked_reason text check (length(revoked_reason) between 1 and 500),
      created_at timestamptz not null default now(),
      primary key (resident_id, id),
      unique (status_list_id, status_index),
      foreign key (resident_id, request_id) references credential_issuance_request (resident_id, id),
      check (valid_until > valid_from),
      check ((revoked_at is null) = (revoked_reason is null)),
      check (issuer_signed is not null or collected_at is not null)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table issued_credential`.execute(db);
  await sql`drop table credential_issuance_request`.execute(db);
  await sql`drop table credential_status_list`.execute(db);
  await sql`drop table credential_nonce`.execute(db);
  await sql`drop table resident_register_end`.execute(db);
  await sql`drop table resident_card`.execute(db);
}
