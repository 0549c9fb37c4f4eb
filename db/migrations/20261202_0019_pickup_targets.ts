import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Card-pickup targets (交付対象者, docs/decisions/0042-pickup-and-renewal-targets-design.md):
// one row per person on the city's card-issuance list, keyed by the city (reference-sized data,
// not resident-owned), with a lifecycle the database keeps. The allowed moves are rows of
// pickup_transition; a trigger refuses any other change of state, and a new target always
// starts 'imported'. A hand-over is one row per target and card (manufacture number): the
// same card can never be handed over twice, while a re-issued card can.
const STATES = [
  'imported',
  'setup_done',
  'letter_printed',
  'booked',
  'issued',
  'cancelled',
  'reissued',
];

const TRANSITIONS: [string, string][] = [
  ['imported', 'setup_done'],
  ['setup_done', 'letter_printed'],
  ['letter_printed', 'booked'],
  ['booked', 'letter_printed'],
  ['booked', 'issued'],
  ['imported', 'cancelled'],
  ['setup_done', 'cancelled'],
  ['letter_printed', 'cancelled'],
  ['booked', 'cancelled'],
  ['issued', 'reissued'],
  ['cancelled', 'reissued'],
  ['reissued', 'setup_done'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table pickup_transition (
      from_state text not null,
      to_state text not null,
      primary key (from_state, to_state)
    )`.execute(db);
  await sql`insert into pickup_transition (from_state, to_state) values ${sql.join(
    TRANSITIONS.map(([from, to]) => sql`(${sql.lit(from)}, ${sql.lit(to)})`),
  )}`.execute(db);

  await sql`
    create table pickup_target (
      municipality_code text not null,
      id uuid not null default gen_random_uuid(),
      application_id text not null,
      manufacture_no text not null,
      name text not null,
      name_kana text,
      birth_date date not null,
      sex text not null check (sex in ('male', 'female', 'other', 'unknown')),
      postal_code text check (postal_code ~ '^[0-9]{7}$'),
      address text not null,
      state text not null default 'imported' check (state in (${sql.join(STATES.map((s) => sql.lit(s)))})),
      state_changed_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      primary key (municipality_code, id),
      unique (municipality_code, application_id)
    )`.execute(db);
  await sql`create index pickup_target_manufacture_idx on pickup_target (municipality_code, manufacture_no)`.execute(
    db,
  );

  await sql`
    create function pickup_target_check_state() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        if new.state <> 'imported' then
          raise exception using errcode = 'check_violation',
            message = format('a pickup target starts as imported, not %s', new.state);
        end if;
      elsif new.state is distinct from old.state then
        if not exists (select 1 from pickup_transition
                       where from_state = old.state and to_state = new.state) then
          raise exception using errcode = 'check_violation',
            message = format('pickup target %s cannot go from %s to %s', old.id, old.state, new.state);
        end if;
        new.state_changed_at := now();
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger pickup_target_check_state before insert or update of state on pickup_target
    for each row execute function pickup_target_check_state()`.execute(db);

  await sql`
    create table pickup_handover (
      municipality_code text not null,
      target_id uuid not null,
      manufacture_no text not null,
      issued_at timestamptz not null,
      issued_by uuid not null references account (id),
      identity_documents text[] not null check (cardinality(identity_documents) > 0),
      face_check text not null check (face_check in ('matched', 'not_matched')),
      user_certificate boolean not null,
      signing_certificate boolean not null,
      pin_setup boolean not null,
      created_at timestamptz not null default now(),
      primary key (municipality_code, target_id, manufacture_no),
      foreign key (municipality_code, target_id) references pickup_target (municipality_code, id)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table pickup_handover`.execute(db);
  await sql`drop table pickup_target`.execute(db);
  await sql`drop function pickup_target_check_state()`.execute(db);
  await sql`drop table pickup_transition`.execute(db);
}
