import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// The mail outbox (decision 0049): a message is a row written in the transaction that decides
// to send it; a pg-boss job delivers it. dedupe_key makes queueing the same message twice store
// one row. A worker claims a row by moving it to 'sending' with a lease; a row whose lease ran
// out (the worker died) may be claimed again and is sent with the same Message-ID (set at the
// first claim from the sender's domain, kept after). 'held' is a
// message kept in the local mailbox because no SMTP server is configured.
// The administrators group gets the new `mail:read` permission, as a new install's would.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table mail_message (
      id uuid primary key default gen_random_uuid(),
      municipality_code text check (municipality_code ~ '^\\d{6}$'),
      kind text not null check (kind ~ '^[a-z][a-z0-9_.-]{0,63}$'),
      dedupe_key text not null unique check (length(dedupe_key) between 1 and 200),
      message_id text unique,
      to_address text not null check (length(to_address) between 3 and 254),
      locale text not null check (locale in ('ja', 'en')),
      subject text not null,
      text_body text not null,
      html_body text not null,
      attachments jsonb not null default '[]' check (jsonb_typeof(attachments) = 'array'),
      status text not null default 'queued'
        check (status in ('queued', 'sending', 'sent', 'held', 'failed')),
      transport text check (transport in ('smtp', 'local')),
      attempts integer not null default 0 check (attempts >= 0),
      lease_until timestamptz,
      last_error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      check ((status = 'sending') = (lease_until is not null)),
      check ((status in ('sent', 'held')) = (sent_at is not null))
    )`.execute(db);
  // The staff page lists the newest first; the sweeper looks for rows still to be delivered.
  await sql`create index mail_message_created on mail_message (created_at desc, id)`.execute(db);
  await sql`
    create index mail_message_pending on mail_message (created_at)
    where status in ('queued', 'sending')`.execute(db);
  await sql`
    insert into staff_group_permission (group_id, permission)
    select id, 'mail:read' from staff_group where name = '管理者 Administrators'
    on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from staff_group_permission where permission = 'mail:read'`.execute(db);
  await sql`drop table mail_message`.execute(db);
}
