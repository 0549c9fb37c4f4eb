import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Hardening of the app API (docs/decisions/0017-opaque-access-tokens.md):
// - Access tokens become opaque random strings; only their SHA-256 is stored, on the refresh
//   token row issued with them, so the check on every request stays one indexed statement and
//   revoking a token family stops its access tokens at once.
// - One live link per resident and client (no longer per resident across all clients).
// - Push registrations belong to their link: registrations of links that already ended are
//   deactivated, and an index finds a link's live registrations when it ends. Likewise a portal
//   sign-in ticket (SSO) remembers its link and is refused once that link has ended.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table app_refresh_token add column access_hash bytea, add column access_expires_at timestamptz`.execute(
    db,
  );
  await sql`alter table app_refresh_token add constraint app_refresh_token_access_check check ((access_hash is null) = (access_expires_at is null))`.execute(
    db,
  );
  await sql`create unique index app_refresh_token_access_idx on app_refresh_token (access_hash)`.execute(
    db,
  );

  await sql`drop index app_link_live_idx`.execute(db);
  await sql`create unique index app_link_live_idx on app_link (resident_id, client_id) where ended_at is null`.execute(
    db,
  );

  // A portal sign-in ticket belongs to the link that asked for it (null for older tickets).
  await sql`alter table sso_ticket add column link_id uuid references app_link (id)`.execute(db);

  await sql`create index push_registration_link_idx on push_registration (link_id) where deactivated_at is null and link_id is not null`.execute(
    db,
  );
  await sql`
    update push_registration pr set deactivated_at = now(), deactivation_reason = 'link_ended'
    from app_link l
    where l.id = pr.link_id and l.ended_at is not null and pr.deactivated_at is null`.execute(db);
  await sql`
    update push_registration pr set deactivated_at = now(), deactivation_reason = 'client_disabled'
    from app_link l join app_client c on c.id = l.client_id
    where l.id = pr.link_id and c.disabled_at is not null and pr.deactivated_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table sso_ticket drop column if exists link_id`.execute(db);
  await sql`drop index if exists push_registration_link_idx`.execute(db);
  await sql`drop index if exists app_link_live_idx`.execute(db);
  await sql`create unique index app_link_live_idx on app_link (resident_id) where ended_at is null`.execute(
    db,
  );
  await sql`drop index if exists app_refresh_token_access_idx`.execute(db);
  await sql`alter table app_refresh_token drop constraint if exists app_refresh_token_access_check, drop column if exists access_hash, drop column if exists access_expires_at`.execute(
    db,
  );
}
