import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Planner statistics for the inbox at national scale (docs/decisions/0010-notice-scale.md).
// audience = 'all' or a municipality implies kind = 'broadcast', but the planner multiplies the
// selectivities as if they were independent and expects ~2 of the live broadcasts to match the
// inbox's broadcast branch; it then reads every broadcast through a bitmap scan and sorts them
// instead of walking notice_broadcast_idx newest first and stopping after one page. With these
// statistics (functional dependencies and the most common value combinations) the estimate is
// right and the branch becomes an index range scan bounded by the page size.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create statistics notice_audience_stats (dependencies, mcv) on kind, audience, municipality_code from notice`.execute(
    db,
  );
  await sql`analyze notice`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop statistics if exists notice_audience_stats`.execute(db);
}
