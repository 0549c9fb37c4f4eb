import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Revoking issued credentials (issue 13, decision 0062): revoked_reason becomes a closed set
// of codes; staff_other carries the staff member's words in revoked_note (and only it does).
// revoked_by stays the account that revoked (staff or the resident), null for the register.
// The administrators group gets the new `credentials:manage` permission, as a new install's would.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table issued_credential add column revoked_note text
    check (length(revoked_note) between 1 and 500)`.execute(db);
  await sql`alter table issued_credential add constraint issued_credential_revoked_reason_code
    check (revoked_reason in ('lost_device', 'resident_request', 'card_reissued',
      'record_changed', 'moved_out', 'died', 'staff_other'))`.execute(db);
  await sql`alter table issued_credential add constraint issued_credential_revoked_note_other
    check ((revoked_note is not null) = (revoked_reason is not distinct from 'staff_other'))`.execute(
    db,
  );
  await sql`create index issued_credential_active on issued_credential (resident_id)
    where revoked_at is null`.execute(db);
  await sql`
    insert into staff_group_permission (group_id, permission)
    select id, 'credentials:manage' from staff_group where name = '管理者 Administrators'
    on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from staff_group_permission where permission = 'credentials:manage'`.execute(db);
  await sql`drop index issued_credential_active`.execute(db);
  await sql`alter table issued_credential drop constraint issued_credential_revoked_note_other`.execute(
    db,
  );
  await sql`alter table issued_credential drop constraint issued_credential_revoked_reason_code`.execute(
    db,
  );
  await sql`alter table issued_credential drop column revoked_note`.execute(db);
}
