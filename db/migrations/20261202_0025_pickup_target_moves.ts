import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// The lifecycle history of each card-pickup target (docs/decisions/0044): one row per change
// of state, written by a trigger so that no move is ever missing from it, whoever makes it.
// Who moved it and why come from two transaction-local settings the application sets just
// before its update (madoguchi.move_by, madoguchi.move_reason); a move made without them
// (by hand in psql) is still recorded, with "by" left empty. The staff page reads this table
// instead of the audit log, which has no index by target and grows without bound.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table pickup_target_move (
      municipality_code text not null,
      target_id uuid not null,
      id bigint generated always as identity,
      from_state text not null,
      to_state text not null,
      moved_at timestamptz not null default now(),
      moved_by uuid references account (id),
      reason text check (char_length(reason) <= 500),
      primary key (municipality_code, target_id, id),
      foreign key (municipality_code, target_id) references pickup_target (municipality_code, id)
    )`.execute(db);

  await sql`
    create function pickup_target_record_move() returns trigger language plpgsql as $$
    begin
      insert into pickup_target_move (municipality_code, target_id, from_state, to_state, moved_by, reason)
      values (new.municipality_code, new.id, old.state, new.state,
              nullif(current_setting('madoguchi.move_by', true), '')::uuid,
              nullif(current_setting('madoguchi.move_reason', true), ''));
      return null;
    end $$`.execute(db);
  await sql`
    create trigger pickup_target_record_move after update of state on pickup_target
    for each row when (old.state is distinct from new.state)
    execute function pickup_target_record_move()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger pickup_target_record_move on pickup_target`.execute(db);
  await sql`drop function pickup_target_record_move()`.execute(db);
  await sql`drop table pickup_target_move`.execute(db);
}
