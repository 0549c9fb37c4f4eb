import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Resident-owned rows are keyed by their resident (docs/decisions/0039-resident-keyed-tables.md):
// resident_id leads the primary key of every table whose rows belong to one resident, and every
// foreign key that reaches such a table, so the tables can be hash-partitioned and distributed
// (Citus) on resident_id with co-located joins. notice_recipient, notice_read, notice_unread and
// insurance_qualification were keyed that way from the start and are left alone.
//
// - letter, todo, proxy_grant, app_link, push_registration: primary key (resident_id, id).
// - app_authorization_code, sso_ticket, app_refresh_token: primary key (resident_id, hash); the
//   hash stays unique on its own, because a presented code, ticket or token is the only thing
//   that names its row.
// - Children of resident-owned rows carry their resident: app_refresh_token (from its link) and
//   push_failure (from its registration) get resident_id, filled from the parent row, and every
//   foreign key into a resident-owned table becomes (resident_id, id).
// - Rows still looked up by id alone (a letter's print page, a proxy's grant, an app link from its
//   token) keep a plain, non-unique index on id.
// Migrations run in one transaction: a foreign key that existing rows break fails the whole step.
const REKEYED: { table: string; key: string }[] = [
  { table: 'letter', key: 'id' },
  { table: 'todo', key: 'id' },
  { table: 'proxy_grant', key: 'id' },
  { table: 'app_link', key: 'id' },
  { table: 'push_registration', key: 'id' },
  { table: 'push_failure', key: 'id' },
  { table: 'app_authorization_code', key: 'code_hash' },
  { table: 'sso_ticket', key: 'ticket_hash' },
  { table: 'app_refresh_token', key: 'token_hash' },
];
// Looked up by their hash alone: the hash stays unique under the old key's name.
const HASHED = new Set(['code_hash', 'ticket_hash', 'token_hash']);
// Looked up by id alone somewhere (the caller does not know the resident).
const BY_ID = ['letter', 'proxy_grant', 'app_link'];

export async function up(db: Kysely<any>): Promise<void> {
  // ---- Children learn their resident from their parent ------------------------------------
  await sql`alter table app_refresh_token add column resident_id uuid`.execute(db);
  await sql`
    update app_refresh_token t set resident_id = l.resident_id
    from app_link l where l.id = t.link_id`.execute(db);
  await sql`alter table app_refresh_token alter column resident_id set not null`.execute(db);

  await sql`alter table push_failure add column resident_id uuid`.execute(db);
  await sql`
    update push_failure f set resident_id = r.resident_id
    from push_registration r where r.id = f.registration_id`.execute(db);
  await sql`alter table push_failure alter column resident_id set not null`.execute(db);

  // ---- Foreign keys into the tables being re-keyed go first ---------------------------------
  await sql`alter table app_refresh_token drop constraint app_refresh_token_link_id_fkey`.execute(
    db,
  );
  await sql`alter table push_registration drop constraint push_registration_link_id_fkey`.execute(
    db,
  );
  await sql`alter table sso_ticket drop constraint sso_ticket_link_id_fkey`.execute(db);
  await sql`alter table push_failure drop constraint push_failure_registration_id_fkey`.execute(db);
  await sql`alter table session drop constraint session_proxy_grant_fk`.execute(db);

  // ---- New primary keys ---------------------------------------------------------------------
  for (const { table, key } of REKEYED) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_pkey`)}`.execute(
      db,
    );
    await sql`alter table ${sql.table(table)} add primary key (resident_id, ${sql.id(key)})`.execute(
      db,
    );
    if (HASHED.has(key))
      await sql`alter table ${sql.table(table)} add constraint ${sql.id(`${table}_${key}_key`)} unique (${sql.id(key)})`.execute(
        db,
      );
  }
  for (const table of BY_ID)
    await sql`create index ${sql.id(`${table}_id_idx`)} on ${sql.table(table)} (id)`.execute(db);
  // The new primary key starts with resident_id: this index is a prefix of it.
  await sql`drop index proxy_grant_resident_idx`.execute(db);

  // ---- Foreign keys into resident-owned tables lead with the resident ---------------------
  await sql`
    alter table app_refresh_token add constraint app_refresh_token_link_fkey
    foreign key (resident_id, link_id) references app_link (resident_id, id)`.execute(db);
  await sql`
    alter table push_registration add constraint push_registration_link_fkey
    foreign key (resident_id, link_id) references app_link (resident_id, id)`.execute(db);
  await sql`
    alter table sso_ticket add constraint sso_ticket_link_fkey
    foreign key (resident_id, link_id) references app_link (resident_id, id)`.execute(db);
  await sql`
    alter table push_failure add constraint push_failure_registration_fkey
    foreign key (resident_id, registration_id) references push_registration (resident_id, id)`.execute(
    db,
  );
  // A session acting under a grant acts for that grant's resident; both are set and cleared
  // together, so MATCH FULL refuses one without the other.
  await sql`
    alter table session add constraint session_proxy_grant_fk
    foreign key (acting_for_resident_id, proxy_grant_id) references proxy_grant (resident_id, id)
    match full`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table session drop constraint session_proxy_grant_fk`.execute(db);
  await sql`alter table push_failure drop constraint push_failure_registration_fkey`.execute(db);
  await sql`alter table sso_ticket drop constraint sso_ticket_link_fkey`.execute(db);
  await sql`alter table push_registration drop constraint push_registration_link_fkey`.execute(db);
  await sql`alter table app_refresh_token drop constraint app_refresh_token_link_fkey`.execute(db);

  await sql`create index proxy_grant_resident_idx on proxy_grant (resident_id)`.execute(db);
  for (const table of BY_ID) await sql`drop index ${sql.id(`${table}_id_idx`)}`.execute(db);
  for (const { table, key } of REKEYED) {
    if (HASHED.has(key))
      await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_${key}_key`)}`.execute(
        db,
      );
    await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_pkey`)}`.execute(
      db,
    );
    await sql`alter table ${sql.table(table)} add primary key (${sql.id(key)})`.execute(db);
  }

  await sql`alter table session add constraint session_proxy_grant_fk foreign key (proxy_grant_id) references proxy_grant (id)`.execute(
    db,
  );
  await sql`alter table push_failure add constraint push_failure_registration_id_fkey foreign key (registration_id) references push_registration (id)`.execute(
    db,
  );
  await sql`alter table sso_ticket add constraint sso_ticket_link_id_fkey foreign key (link_id) references app_link (id)`.execute(
    db,
  );
  await sql`alter table push_registration add constraint push_registration_link_id_fkey foreign key (link_id) references app_link (id)`.execute(
    db,
  );
  await sql`alter table app_refresh_token add constraint app_refresh_token_link_id_fkey foreign key (link_id) references app_link (id)`.execute(
    db,
  );
  await sql`alter table push_failure drop column resident_id`.execute(db);
  await sql`alter table app_refresh_token drop column resident_id`.execute(db);
}
