import { sql, type Kysely } from 'kysely';

/**
 * Audit rows are chained after their transaction commits instead of while it runs.
 *
 * Until now a before-insert trigger chained each row under a lock on the one chain-head row,
 * held until the inserting transaction ended: every audited transaction in the system waited
 * for every other one, including its commit flush (bench:audit: 100 writers with 2 ms of work
 * after the audit write, 1,166 transactions/s without the entry, 113 with it).
 *
 * Now a row is inserted unsealed (seq, prev_hash and hash null), committing atomically with
 * the change it records and taking no shared lock. `audit_seal(n)` chains up to n committed
 * unsealed rows in id order under the head lock, in one short transaction of its own; every
 * Madoguchi process runs it a few times a second (and before the audit page reads). The only
 * change the append-only trigger allows is that one: filling the chain columns of an
 * unsealed row, from audit_seal(), everything else unchanged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop trigger audit_log_chain on audit_log`.execute(db);
  await sql`drop function audit_log_chain()`.execute(db);
  await sql`
    alter table audit_log
      alter column seq drop not null,
      alter column prev_hash drop not null,
      alter column hash drop not null,
      add constraint audit_log_sealed_whole check (
        (seq is null and prev_hash is null and hash is null) or
        (seq is not null and prev_hash is not null and hash is not null))`.execute(db);
  await sql`create index audit_log_unsealed_idx on audit_log (id) where seq is null`.execute(db);

  // The row trigger refuses every UPDATE and DELETE except audit_seal() sealing an unsealed
  // row: only the three chain columns may change, and only from null.
  await sql`
    create function audit_log_refuse_row_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.seq is null and new.seq is not null
         and current_setting('madoguchi.audit_sealing', true) = 'on'
         and (old.id, old.occurred_at, old.actor_type, old.actor_id, old.on_behalf_of_resident_id,
              old.action, old.target_type, old.target_id, old.outcome, old.ip, old.details::text)
             is not distinct from
             (new.id, new.occurred_at, new.actor_type, new.actor_id, new.on_behalf_of_resident_id,
              new.action, new.target_type, new.target_id, new.outcome, new.ip, new.details::text)
      then
        return new;
      end if;
      raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`drop trigger audit_log_no_update on audit_log`.execute(db);
  await sql`create trigger audit_log_no_update before update or delete on audit_log for each row execute function audit_log_refuse_row_change()`.execute(
    db,
  );

  // Seals up to max_rows committed unsealed rows in id order and moves the head once; 0 when
  // there are none or another sealer holds the head (it will seal them).
  await sql`
    create function audit_seal(max_rows int) returns int language plpgsql as $$
    declare
      head audit_chain_head;
      r audit_log;
      ids bigint[] := '{}';
      seqs bigint[] := '{}';
      prevs bytea[] := '{}';
      hashes bytea[] := '{}';
    begin
      select * into head from audit_chain_head where singleton for update skip locked;
      if not found then return 0; end if;
      for r in select * from audit_log where seq is null order by id limit max_rows loop
        r.seq := head.last_seq + 1;
        r.prev_hash := head.last_hash;
        r.hash := audit_row_digest(head.last_hash, r);
        ids := ids || r.id;
        seqs := seqs || r.seq;
        prevs := prevs || r.prev_hash;
        hashes := hashes || r.hash;
        head.last_seq := r.seq;
        head.last_hash := r.hash;
      end loop;
      if cardinality(ids) = 0 then return 0; end if;
      perform set_config('madoguchi.audit_sealing', 'on', true);
      update audit_log a set seq = s.seq, prev_hash = s.prev_hash, hash = s.hash
        from unnest(ids, seqs, prevs, hashes) as s(id, seq, prev_hash, hash)
        where a.id = s.id;
      perform set_config('madoguchi.audit_sealing', 'off', true);
      update audit_chain_head set last_seq = head.last_seq, last_hash = head.last_hash
        where singleton;
      return cardinality(ids);
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`select audit_seal(2147483647)`.execute(db);
  await sql`drop function audit_seal(int)`.execute(db);
  await sql`drop trigger audit_log_no_update on audit_log`.execute(db);
  await sql`create trigger audit_log_no_update before update or delete on audit_log for each row execute function audit_log_refuse_change()`.execute(
    db,
  );
  await sql`drop function audit_log_refuse_row_change()`.execute(db);
  await sql`drop index audit_log_unsealed_idx`.execute(db);
  await sql`
    alter table audit_log
      drop constraint audit_log_sealed_whole,
      alter column seq set not null,
      alter column prev_hash set not null,
      alter column hash set not null`.execute(db);
  await sql`
    create function audit_log_chain() returns trigger language plpgsql as $$
    declare head audit_chain_head;
    begin
      select * into head from audit_chain_head where singleton for update;
      new.seq := head.last_seq + 1;
      new.prev_hash := head.last_hash;
      new.hash := audit_row_digest(head.last_hash, new);
      update audit_chain_head set last_seq = new.seq, last_hash = new.hash where singleton;
      return new;
    end $$`.execute(db);
  await sql`create trigger audit_log_chain before insert on audit_log for each row execute function audit_log_chain()`.execute(
    db,
  );
}
