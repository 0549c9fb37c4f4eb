import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Token Status List serving (issue 13, decision 0060): each fetch of a status list reads its
// change marker (how many of its credentials are revoked, and the latest revoked_at) and, on a
// change, the revoked indices. This partial index holds the revoked rows only, so both reads
// cost the list's revocations, not its 131,072 indices.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create index issued_credential_revoked_by_list
    on issued_credential (status_list_id, status_index) include (revoked_at)
    where revoked_at is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index issued_credential_revoked_by_list`.execute(db);
}
