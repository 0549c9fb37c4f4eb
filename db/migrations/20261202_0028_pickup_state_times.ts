import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Every lifecycle time of a card-pickup target (decision 0047): when it last entered each state
// after 'imported' (created_at is that one). A second trigger, named to run after
// pickup_target_check_state (triggers on one event run in name order), stamps the column of
// the state a row moves to; the check trigger stays as it was. A state entered again (booked →
// letter_printed → booked, a re-issue's second set-up) keeps its latest time. Rows already in a
// state take state_changed_at as that state's time.
const STATES = ['setup_done', 'letter_printed', 'booked', 'issued', 'cancelled', 'reissued'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const state of STATES)
    await sql`alter table pickup_target add column ${sql.id(`${state}_at`)} timestamptz`.execute(
      db,
    );
  await sql`
    create function pickup_target_stamp_state() returns trigger language plpgsql as $$
    begin
      if new.state is distinct from old.state then
        case new.state
          when 'setup_done' then new.setup_done_at := now();
          when 'letter_printed' then new.letter_printed_at := now();
          when 'booked' then new.booked_at := now();
          when 'issued' then new.issued_at := now();
          when 'cancelled' then new.cancelled_at := now();
          when 'reissued' then new.reissued_at := now();
          else null;
        end case;
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger pickup_target_stamp_state before update of state on pickup_target
    for each row execute function pickup_target_stamp_state()`.execute(db);
  for (const state of STATES)
    await sql`update pickup_target set ${sql.id(`${state}_at`)} = state_changed_at
              where state = ${state}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger pickup_target_stamp_state on pickup_target`.execute(db);
  await sql`drop function pickup_target_stamp_state()`.execute(db);
  for (const state of STATES)
    await sql`alter table pickup_target drop column ${sql.id(`${state}_at`)}`.execute(db);
}
