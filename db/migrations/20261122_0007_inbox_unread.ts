import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// A remembered unread count per resident (docs/decisions/0011-inbox-throughput.md), so an inbox
// page reads one row instead of counting the whole inbox.
//
// notice_unread holds, per resident, the number of unread notices in their inbox as computed
// at `computed_at` (in their municipality's audience), right for any time from `valid_from` to
// `valid_until` (the publications and expiries around computed_at that would change it). The application computes it; the
// triggers below keep it honest whoever writes:
// - `version` grows with every change to the resident's recipient or read rows. A count is
//   only stored (compare-and-set) if the version it was computed at is still current, and is
//   used only while `cached_version = version`.
// - A first opening (a new read row) decrements the count in the same statement when the
//   count is current and the notice was in it, and keeps it current; anything else on the
//   resident's rows just makes it stale.
// - Every change to a notice's timing, audience or withdrawal, every broadcast published and
//   every notice deleted bumps the one-row notice_unread_epoch: every stored count becomes
//   stale at once (O(1) at publication; each resident recounts once on their next visit).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table notice_unread_epoch (
      id boolean primary key default true check (id),
      epoch bigint not null default 1
    )`.execute(db);
  await sql`insert into notice_unread_epoch (id, epoch) values (true, 1)`.execute(db);

  await sql`
    create table notice_unread (
      resident_id uuid primary key references resident (id) on delete cascade,
      version bigint not null default 1,
      cached_version bigint,
      epoch bigint,
      municipality_code char(6),
      computed_at timestamptz,
      valid_from timestamptz,
      valid_until timestamptz,
      unread int
    )`.execute(db);

  await sql`
    create function notice_unread_bump_epoch() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' then
        if new.kind = old.kind and new.audience = old.audience
          and new.municipality_code is not distinct from old.municipality_code
          and new.publish_at = old.publish_at
          and new.expires_at is not distinct from old.expires_at
          and new.withdrawn_at is not distinct from old.withdrawn_at then
          return null;
        end if;
      elsif tg_op = 'INSERT' and new.kind <> 'broadcast' then
        return null; -- a targeted notice reaches inboxes through its recipient rows
      end if;
      update notice_unread_epoch set epoch = epoch + 1 where id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger notice_unread_epoch_trg after insert or update or delete on notice
    for each row execute function notice_unread_bump_epoch()`.execute(db);

  // Recipient rows added or removed: those residents' counts are stale.
  await sql`
    create function notice_unread_stale() returns trigger language plpgsql as $$
    begin
      insert into notice_unread (resident_id)
        select distinct resident_id from changed order by resident_id
      on conflict (resident_id) do update set version = notice_unread.version + 1;
      return null;
    end $$`.execute(db);
  for (const op of ['insert', 'delete'])
    await sql`
      create trigger ${sql.raw(`notice_recipient_${op}_unread_trg`)} after ${sql.raw(op)} on notice_recipient
      referencing ${sql.raw(op === 'insert' ? 'new' : 'old')} table as changed
      for each statement execute function notice_unread_stale()`.execute(db);
  await sql`
    create trigger notice_read_delete_unread_trg after delete on notice_read
    referencing old table as changed
    for each statement execute function notice_unread_stale()`.execute(db);

  // First openings: a current count loses the notices it contained, and stays current.
  // "Contained" is decided at the count's own computed_at, so no clock is involved.
  await sql`
    create function notice_unread_opened() returns trigger language plpgsql as $$
    begin
      insert into notice_unread as u (resident_id)
        select distinct resident_id from opened order by resident_id
      on conflict (resident_id) do update set
        version = u.version + 1,
        cached_version = case when u.cached_version = u.version then u.version + 1 end,
        unread = case when u.cached_version = u.version then u.unread - (
          select count(*) from opened o join notice n on n.id = o.notice_id
          where o.resident_id = u.resident_id
            and n.publish_at <= u.computed_at
            and (n.expires_at is null or n.expires_at > u.computed_at)
            and n.withdrawn_at is null
            and ((n.kind = 'broadcast' and (n.audience = 'all' or n.municipality_code = u.municipality_code))
              or exists (select 1 from notice_recipient r
                         where r.resident_id = o.resident_id and r.notice_id = o.notice_id))
        ) end;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger notice_read_insert_unread_trg after insert on notice_read
    referencing new table as opened
    for each statement execute function notice_unread_opened()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists notice_read_insert_unread_trg on notice_read`.execute(db);
  await sql`drop trigger if exists notice_read_delete_unread_trg on notice_read`.execute(db);
  await sql`drop trigger if exists notice_recipient_insert_unread_trg on notice_recipient`.execute(
    db,
  );
  await sql`drop trigger if exists notice_recipient_delete_unread_trg on notice_recipient`.execute(
    db,
  );
  await sql`drop trigger if exists notice_unread_epoch_trg on notice`.execute(db);
  await sql`drop function if exists notice_unread_opened()`.execute(db);
  await sql`drop function if exists notice_unread_stale()`.execute(db);
  await sql`drop function if exists notice_unread_bump_epoch()`.execute(db);
  await sql`drop table if exists notice_unread`.execute(db);
  await sql`drop table if exists notice_unread_epoch`.execute(db);
}
