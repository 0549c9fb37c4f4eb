import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connect } from './connection.ts';
import { createMigrator, migrateToLatest, migrationFolder, pendingMigrations } from './migrator.ts';
import { createEmptyDatabase } from '../test/database.ts';

const NAME = /^(\d{8})_(\d{4})_[a-z0-9_]+\.ts$/;

describe('migration files', () => {
  const files = readdirSync(migrationFolder).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
  );

  it('are named date_sequence_description.ts', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(NAME);
  });

  it('have unique timestamps in the order they sort', () => {
    const stamps = files.map((f) => f.replace(NAME, '$1$2'));
    expect(new Set(stamps).size).toBe(stamps.length);
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('never import application code', async () => {
    const { readFileSync } = await import('node:fs');
    for (const file of files) {
      const text = readFileSync(`${migrationFolder}/${file}`, 'utf8');
      expect(text, file).not.toMatch(/from ['"](\.\.\/|~\/)/);
    }
  });
});

describe('migrateToLatest', () => {
  it('applies every migration to an empty database, and a second run changes nothing', async () => {
    const url = await createEmptyDatabase('migration_check');
    const { db, close } = connect(url, { max: 2 });
    try {
      const first = await migrateToLatest(db);
      expect(first.map((r) => r.status)).toEqual(first.map(() => 'Success'));
      expect(first.length).toBe(readdirSync(migrationFolder).filter((f) => NAME.test(f)).length);

      const schemaOf = async () =>
        (
          await sql<{ d: string }>`
            select string_agg(table_name || '.' || column_name || ':' || data_type, ',' order by table_name, column_name) as d
            from information_schema.columns where table_schema = 'public'`.execute(db)
        ).rows[0]?.d;
      const before = await schemaOf();

      const second = await migrateToLatest(db);
      expect(second).toEqual([]);
      expect(await pendingMigrations(db)).toEqual([]);
      expect(await schemaOf()).toBe(before);
    } finally {
      await close();
    }
  });
});

describe('20261202_0023_insurance_import_permission', () => {
  it('gives insurance:import to every group that imported insurance with targets:import', async () => {
    const url = await createEmptyDatabase('migration_insurance_import');
    const { db, close } = connect(url, { max: 2 });
    try {
      const migrator = createMigrator(db);
      const to = await migrator.migrateTo('20261202_0022_target_credentials');
      expect(to.error).toBeUndefined();
      const groups = await sql<{ id: string; name: string }>`
        insert into staff_group (name) values ('clerks'), ('editors') returning id, name`.execute(
        db,
      );
      const [clerks, editors] = groups.rows;
      await sql`
        insert into staff_group_permission (group_id, permission) values
          (${clerks?.id}, 'targets:import'), (${clerks?.id}, 'insurance:read'),
          (${editors?.id}, 'notices:write')`.execute(db);

      await migrateToLatest(db);

      const rows = await sql<{ name: string; permission: string }>`
        select g.name, p.permission from staff_group_permission p join staff_group g on g.id = p.group_id
        order by g.name, p.permission`.execute(db);
      expect(rows.rows).toEqual([
        { name: 'clerks', permission: 'insurance:import' },
        { name: 'clerks', permission: 'insurance:read' },
        { name: 'clerks', permission: 'targets:import' },
        { name: 'editors', permission: 'notices:write' },
      ]);
    } finally {
      await close();
    }
  });
});
