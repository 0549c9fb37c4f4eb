import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connect } from './connection.ts';
import { createMigrator, migrateToLatest } from './migrator.ts';
import { createEmptyDatabase } from '../test/database.ts';

describe('20261203_0031_booking_site_content', () => {
  it('gives reservations:content to the administrators group only, and keeps one published version per piece', async () => {
    const url = await createEmptyDatabase('migration_booking_content');
    const { db, close } = connect(url, { max: 2 });
    try {
      const to = await createMigrator(db).migrateTo('20261202_0028_pickup_state_times');
      expect(to.error).toBeUndefined();
      await sql`
        insert into staff_group (name) values ('管理者 Administrators'), ('clerks')`.execute(db);
      await migrateToLatest(db);
      const rows = await sql<{ name: string }>`
        select g.name from staff_group_permission p join staff_group g on g.id = p.group_id
        where p.permission = 'reservations:content'`.execute(db);
      expect(rows.rows).toEqual([{ name: '管理者 Administrators' }]);

      // A published row must name an existing version of the same piece and language.
      const account = await sql<{ id: string }>`
        insert into account (kind, display_name) values ('staff', 'x') returning id`.execute(db);
      const by = account.rows[0]?.id;
      await sql`
        insert into booking_content_version (municipality_code, piece, locale, version, body, created_by)
        values ('142107', 'faq', 'ja', 1, 'a', ${by})`.execute(db);
      await expect(
        sql`insert into booking_content_published (municipality_code, piece, locale, version, published_by)
          values ('142107', 'faq', 'en', 1, ${by})`.execute(db),
      ).rejects.toThrow(/foreign key/);
      await expect(
        sql`insert into booking_content_version (municipality_code, piece, locale, version, body, created_by)
          values ('142107', 'news', 'ja', 1, 'a', ${by})`.execute(db),
      ).rejects.toThrow(/check constraint/);
    } finally {
      await close();
    }
  });
});
