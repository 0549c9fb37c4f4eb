import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Decision 0060, addendum "a stateless c_nonce": the nonce endpoint no longer stores its
// nonces (each is sealed with an HMAC and carries its expiry); the credential request records
// the nonces it uses, in its own statement. So credential_nonce holds used nonces only: the
// unused ones of the old endpoint can never be used (they are not sealed) and go.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from credential_nonce where used_at is null`.execute(db);
  await sql`
    alter table credential_nonce
      alter column used_at set default now(),
      alter column used_at set not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table credential_nonce
      alter column used_at drop not null,
      alter column used_at drop default`.execute(db);
}
