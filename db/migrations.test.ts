import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connect } from './connection.ts';
import { migrateToLatest, migrationFolder, pendingMigrations } from './migrator.ts';
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
