import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { connect } from './connection.ts';
import { createMigrator, migrateToLatest, migrationFolder } from './migrator.ts';
import { createEmptyDatabase, useTestDatabase } from '../test/database.ts';

/**
 * Resident-owned tables lead every key with resident_id, so they can be hash-partitioned and
 * distributed on it with co-located joins (DESIGN.md "Beyond one machine",
 * docs/decisions/0039-resident-keyed-tables.md). A table is resident-owned when it has a
 * resident_id column, unless it is listed here with the reason it is not.
 */
const NOT_RESIDENT_OWNED: Record<string, string> = {
  // Whoever signs in: staff and proxies have accounts without a resident; a resident's account
  // is referenced by sessions, passkeys and staff tables keyed by account id.
  account: 'an identity of a resident, a proxy or a staff member',
};

// Also run on a database migrated by hand, whose tables the Database interface does not describe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Every way the schema breaks the rule, one line each; empty when it keeps it. */
async function residentKeyViolations(db: AnyDb): Promise<string[]> {
  const { rows } = await sql<{ violation: string }>`
    with owned as (
      select c.oid, c.relname::text as name
      from information_schema.columns col
      join pg_class c on c.relname = col.table_name and c.relkind in ('r', 'p')
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = col.table_schema
      where col.table_schema = 'public' and col.column_name = 'resident_id'
        and col.table_name <> all(${Object.keys(NOT_RESIDENT_OWNED)}::text[])
    ), primary_keys as (
      select o.name, i.indkey[0] as first_col, o.oid,
        (select string_agg(a.attname, ', ' order by k.ord)
         from unnest(i.indkey) with ordinality k(attnum, ord)
         join pg_attribute a on a.attrelid = o.oid and a.attnum = k.attnum) as cols
      from owned o left join pg_index i on i.indrelid = o.oid and i.indisprimary
    ), fks as (
      select con.conname, src.relname::text as src, dst.relname::text as dst,
        (select attname from pg_attribute where attrelid = con.conrelid and attnum = con.conkey[1]) as src_first,
        (select attname from pg_attribute where attrelid = con.confrelid and attnum = con.confkey[1]) as dst_first,
        con.conrelid in (select oid from owned) as from_owned,
        con.confrelid in (select oid from owned) as to_owned,
        dst.relname = 'resident' as to_resident
      from pg_constraint con
      join pg_class src on src.oid = con.conrelid
      join pg_class dst on dst.oid = con.confrelid
      join pg_namespace n on n.oid = src.relnamespace and n.nspname = 'public'
      where con.contype = 'f'
    )
    select name || ': primary key ' || coalesce('(' || cols || ')', 'missing')
      || ' does not start with resident_id' as violation
    from primary_keys p
    where p.cols is null
      or (select attname from pg_attribute where attrelid = p.oid and attnum = p.first_col) <> 'resident_id'
    union all
    select src || '.' || conname || ' → ' || dst || ': the referenced key starts with ' || dst_first
    from fks where to_owned and dst_first <> 'resident_id'
    union all
    select src || '.' || conname || ' → ' || dst || ': the key starts with ' || src_first
    from fks where from_owned and (to_owned or to_resident) and src_first <> 'resident_id'
    order by 1`.execute(db);
  return rows.map((r) => r.violation);
}

async function residentOwnedTables(db: AnyDb): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.columns
    where table_schema = 'public' and column_name = 'resident_id'
      and table_name <> all(${Object.keys(NOT_RESIDENT_OWNED)}::text[])
    order by 1`.execute(db);
  return rows.map((r) => r.name);
}

describe('resident-owned tables', () => {
  const database = useTestDatabase();

  it('lead their primary key and every foreign key that reaches them with resident_id', async () => {
    const db = database.connection.db;
    expect(await residentOwnedTables(db)).toEqual(
      expect.arrayContaining([
        'app_authorization_code',
        'app_link',
        'app_refresh_token',
        'insurance_qualification',
        'letter',
        'notice_read',
        'notice_recipient',
        'notice_unread',
        'proxy_grant',
        'push_failure',
        'push_registration',
        'sso_ticket',
        'todo',
      ]),
    );
    expect(await residentKeyViolations(db)).toEqual([]);
  });

  it('the check names each table and key that breaks the rule', async () => {
    const rollback = new Error('rollback');
    let found: string[] = [];
    await expect(
      database.connection.db.transaction().execute(async (trx) => {
        // Keyed by id alone, and pointing at a resident through another column.
        await sql`
          create table probe_by_id (
            id uuid primary key,
            resident_id uuid not null references resident (id),
            other_resident uuid references resident (id)
          )`.execute(trx);
        await sql`create table probe_no_key (resident_id uuid not null)`.execute(trx);
        // Rightly keyed, but reached by id alone from a table that is not resident-owned.
        await sql`
          create table probe_keyed (
            resident_id uuid not null, id uuid not null unique, primary key (resident_id, id)
          )`.execute(trx);
        await sql`create table probe_child (keyed_id uuid references probe_keyed (id))`.execute(
          trx,
        );
        // A resident-owned table reaching one by (id, resident_id): wrong order on both sides.
        await sql`create unique index on probe_keyed (id, resident_id)`.execute(trx);
        await sql`
          create table probe_owned_child (
            resident_id uuid not null, keyed_id uuid, primary key (resident_id, keyed_id),
            constraint probe_wrong_order foreign key (keyed_id, resident_id)
              references probe_keyed (id, resident_id)
          )`.execute(trx);
        found = await residentKeyViolations(trx);
        throw rollback;
      }),
    ).rejects.toBe(rollback);

    expect(found).toEqual([
      'probe_by_id.probe_by_id_other_resident_fkey → resident: the key starts with other_resident',
      'probe_by_id: primary key (id) does not start with resident_id',
      'probe_child.probe_child_keyed_id_fkey → probe_keyed: the referenced key starts with id',
      'probe_no_key: primary key missing does not start with resident_id',
      'probe_owned_child.probe_wrong_order → probe_keyed: the key starts with keyed_id',
      'probe_owned_child.probe_wrong_order → probe_keyed: the referenced key starts with id',
    ]);
    expect(await residentKeyViolations(database.connection.db)).toEqual([]);
  });
});

describe('migration 0018 (resident keys)', () => {
  const NAME = '20261202_0018_resident_keys';

  it('keeps every row of every table it re-keys and gives children their resident', async () => {
    const names = readdirSync(migrationFolder)
      .filter((f) => /^\d{8}_\d{4}_[a-z0-9_]+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    const before = names[names.indexOf(NAME) - 1]!;
    const url = await createEmptyDatabase('resident_keys_migration');
    const { db, close } = connect(url, { max: 2 });
    try {
      const to = await createMigrator(db).migrateTo(before);
      expect(to.error).toBeUndefined();
      expect(to.results?.at(-1)?.migrationName).toBe(before);

      // Two residents, so a key that mixed them up would show; everything through plain SQL.
      const r1 = '00000000-0000-4000-8000-000000000001';
      const r2 = '00000000-0000-4000-8000-000000000002';
      await sql`
        insert into resident (id, register_code, name, name_kana, birth_date, sex, address,
          municipality_code, municipality_name)
        values (${r1}, '00000000001', '一', 'イチ', '1980-01-01', 'female', '住所', '131016', '千代田区'),
               (${r2}, '00000000002', '二', 'ニ', '1981-01-01', 'male', '住所', '131016', '千代田区')`.execute(
        db,
      );
      await sql`
        insert into account (id, kind, resident_id, display_name) values
          ('10000000-0000-4000-8000-000000000001', 'resident', ${r1}, '一'),
          ('10000000-0000-4000-8000-000000000002', 'proxy', null, '代理')`.execute(db);
      await sql`
        insert into letter (id, code, purpose, resident_id, password_hash, expires_at) values
          ('20000000-0000-4000-8000-000000000001', 'AAAA-BBBB-CCC1', 'first_access', ${r1}, 'h', now() + interval '1 day'),
          ('20000000-0000-4000-8000-000000000002', 'AAAA-BBBB-CCC2', 'pickup', ${r2}, 'h', now() + interval '1 day')`.execute(
        db,
      );
      await sql`
        insert into todo (id, resident_id, title_ja, source) values
          ('30000000-0000-4000-8000-000000000001', ${r1}, '一', 'staff'),
          ('30000000-0000-4000-8000-000000000002', ${r2}, '二', 'system')`.execute(db);
      await sql`
        insert into proxy_grant (id, resident_id, proxy_account_id, proxy_name, scopes, starts_at, ends_at)
        values ('40000000-0000-4000-8000-000000000001', ${r2}, '10000000-0000-4000-8000-000000000002',
                '代理', '{todos}', now(), now() + interval '30 days')`.execute(db);
      await sql`
        insert into session (id, token_hash, account_id, acting_for_resident_id, proxy_grant_id,
          idle_expires_at, absolute_expires_at) values
          ('50000000-0000-4000-8000-000000000001', '\\x01', '10000000-0000-4000-8000-000000000002',
           ${r2}, '40000000-0000-4000-8000-000000000001', now() + interval '1 hour', now() + interval '1 day'),
          ('50000000-0000-4000-8000-000000000002', '\\x02', '10000000-0000-4000-8000-000000000001',
           null, null, now() + interval '1 hour', now() + interval '1 day')`.execute(db);
      await sql`insert into app_client (id, name, redirect_uris) values ('app', 'App', '{https://app.example/cb}')`.execute(
        db,
      );
      await sql`
        insert into app_link (id, resident_id, client_id) values
          ('60000000-0000-4000-8000-000000000001', ${r1}, 'app'),
          ('60000000-0000-4000-8000-000000000002', ${r2}, 'app')`.execute(db);
      await sql`
        insert into app_authorization_code (code_hash, client_id, resident_id, redirect_uri,
          code_challenge, expires_at)
        values ('\\x0a', 'app', ${r1}, 'https://app.example/cb', ${'c'.repeat(43)}, now())`.execute(
        db,
      );
      await sql`
        insert into app_refresh_token (token_hash, family_id, link_id, expires_at) values
          ('\\x11', gen_random_uuid(), '60000000-0000-4000-8000-000000000001', now() + interval '90 days'),
          ('\\x12', gen_random_uuid(), '60000000-0000-4000-8000-000000000002', now() + interval '90 days'),
          ('\\x13', gen_random_uuid(), '60000000-0000-4000-8000-000000000002', now() + interval '90 days')`.execute(
        db,
      );
      await sql`
        insert into push_registration (id, resident_id, link_id, channel, token, p256dh, auth) values
          ('70000000-0000-4000-8000-000000000001', ${r1}, '60000000-0000-4000-8000-000000000001', 'fcm', 'fcm-token-1', null, null),
          ('70000000-0000-4000-8000-000000000002', ${r2}, null, 'webpush', 'https://push.example/2', 'k', 'a')`.execute(
        db,
      );
      await sql`
        insert into sso_ticket (ticket_hash, resident_id, client_id, link_id, path, expires_at) values
          ('\\x21', ${r1}, 'app', '60000000-0000-4000-8000-000000000001', '/ja/todos', now()),
          ('\\x22', ${r2}, 'app', null, '/en', now())`.execute(db);
      await sql`
        insert into notice (id, kind, audience, sender, title_ja, body_ja, publish_at)
        values ('80000000-0000-4000-8000-000000000001', 'broadcast', 'all', 'city', '題', '本文', now())`.execute(
        db,
      );
      await sql`
        insert into push_campaign (id, notice_id, scope, window_start, window_end, devices, batches)
        values ('90000000-0000-4000-8000-000000000001', '80000000-0000-4000-8000-000000000001',
                'broadcast', now(), now(), 2, 1)`.execute(db);
      await sql`
        insert into push_failure (campaign_id, registration_id, channel, class) values
          ('90000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000001', 'fcm', 'permanent'),
          ('90000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000002', 'webpush', 'error'),
          ('90000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000002', 'webpush', 'permanent')`.execute(
        db,
      );
      // What each table held, by its old key (and its resident where it had one already).
      const COLUMNS: Record<string, string> = {
        letter: 'id, resident_id',
        todo: 'id, resident_id',
        proxy_grant: 'id, resident_id',
        app_link: 'id, resident_id',
        app_authorization_code: 'code_hash, resident_id',
        app_refresh_token: 'token_hash, link_id',
        push_registration: 'id, resident_id, link_id',
        sso_ticket: 'ticket_hash, resident_id, link_id',
        push_failure: 'id, registration_id',
        session: 'id, acting_for_resident_id, proxy_grant_id',
      };
      const snapshot = async () => {
        const out: Record<string, string[]> = {};
        for (const [table, columns] of Object.entries(COLUMNS))
          out[table] = (
            await sql<Record<string, unknown>>`
              select ${sql.raw(columns)} from ${sql.table(table)} order by 1`.execute(db)
          ).rows.map((r) => Object.values(r).map(String).join(' '));
        return out;
      };
      const rowsBefore = await snapshot();
      expect(Object.values(rowsBefore).map((rows) => rows.length)).toEqual([
        2, 2, 1, 2, 1, 3, 2, 2, 3, 2,
      ]);

      const up = await migrateToLatest(db);
      expect(up.map((r) => r.migrationName)).toContain(NAME);

      // Every row is still there, and children carry their parent's resident.
      expect(await snapshot()).toEqual(rowsBefore);
      const children = await sql<{ table: string; key: string; residentId: string }>`
        select 'app_refresh_token' as table, encode(token_hash, 'hex') as key, resident_id::text as "residentId"
        from app_refresh_token
        union all
        select 'push_failure', registration_id::text || '/' || class, resident_id::text from push_failure
        order by 1, 2`.execute(db);
      expect(children.rows).toEqual([
        { table: 'app_refresh_token', key: '11', residentId: r1 },
        { table: 'app_refresh_token', key: '12', residentId: r2 },
        { table: 'app_refresh_token', key: '13', residentId: r2 },
        {
          table: 'push_failure',
          key: '70000000-0000-4000-8000-000000000001/permanent',
          residentId: r1,
        },
        {
          table: 'push_failure',
          key: '70000000-0000-4000-8000-000000000002/error',
          residentId: r2,
        },
        {
          table: 'push_failure',
          key: '70000000-0000-4000-8000-000000000002/permanent',
          residentId: r2,
        },
      ]);
      expect(await residentKeyViolations(db)).toEqual([]);

      // The composite keys hold: a child cannot point at another resident's row.
      await expect(
        sql`insert into push_registration (resident_id, link_id, channel, token)
            values (${r2}, '60000000-0000-4000-8000-000000000001', 'fcm', 'fcm-token-x')`.execute(
          db,
        ),
      ).rejects.toThrow(/push_registration_link_fkey/);
      await expect(
        sql`update session set acting_for_resident_id = ${r1}
            where id = '50000000-0000-4000-8000-000000000001'`.execute(db),
      ).rejects.toThrow(/session_proxy_grant_fk/);
      await expect(
        sql`update session set acting_for_resident_id = ${r1}
            where id = '50000000-0000-4000-8000-000000000002'`.execute(db),
      ).rejects.toThrow(/session_proxy_grant_fk/);
    } finally {
      await close();
    }
  });
});
