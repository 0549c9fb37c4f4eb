import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Importing insurance records had borrowed `targets:import`, the card-pickup list's permission.
// It now has its own, `insurance:import`; every group that could import insurance records
// through the borrowed permission keeps that right under the new name. (The groups keep
// `targets:import` too: whether they should import card-pickup lists is a staff decision.)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    insert into staff_group_permission (group_id, permission)
    select group_id, 'insurance:import' from staff_group_permission
    where permission = 'targets:import'
    on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from staff_group_permission where permission = 'insurance:import'`.execute(db);
}
