import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// E-certificate renewal targets (電子証明書更新対象者, decisions 0042 and 0046): one row per
// person and renewal notice, keyed by the city. The resident-register code (住民票コード) is
// checked by the database too: resident_register_code_valid() is the check digit of
// 住民基本台帳法施行規則 第1条 (modulus 11, weights 2–7 then 2–5 from the lowest digit), and a
// CHECK refuses any other code. A target starts 'active' and moves once, to 'renewed' or to
// 'cleared' (moved out or died, with a reason); a trigger refuses every other move, so a
// closed row stays in history as it was closed. One active row per person and city.
// Imports are staged like the pickup list's: the parsed rows wait as JSON on the import row
// until the clerk confirms, and one transaction applies them.
const VARIANTS = '﨑嵜碕髙𠮷齋齊斉邊邉德澤濱濵櫻嶋嶌國廣關惠榮冨眞實條峯龍槇栁瀨藏黑鐵淺會邨舘';
const STANDARD = '崎崎崎高吉斎斎斎辺辺徳沢浜浜桜島島国広関恵栄富真実条峰竜槙柳瀬蔵黒鉄浅会村館';
const HIRAGANA =
  'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔ';
const KATAKANA =
  'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴ';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function resident_register_code_valid(code text) returns boolean
    language sql immutable strict parallel safe as $$
      select case
        when code !~ '^[0-9]{11}$' then false
        else (
          select substr(code, 11, 1)::int = case when s % 11 <= 1 then 0 else 11 - s % 11 end
          from (
            select sum(substr(code, 11 - n, 1)::int * case when n <= 6 then n + 1 else n - 5 end) as s
            from generate_series(1, 10) as n
          ) as weighted
        )
      end
    $$`.execute(db);

  await sql`
    create table renewal_import (
      municipality_code text not null,
      id uuid not null default gen_random_uuid(),
      file_name text not null check (length(file_name) between 1 and 255),
      file_sha256 bytea not null,
      encoding text not null check (encoding in ('utf-8', 'shift_jis')),
      state text not null default 'staged' check (state in ('staged', 'confirmed')),
      line_count integer not null,
      problems jsonb not null default '[]',
      rows jsonb not null default '[]',
      created_by uuid not null references account (id),
      created_at timestamptz not null default now(),
      confirmed_by uuid references account (id),
      confirmed_at timestamptz,
      new_count integer,
      updated_count integer,
      unchanged_count integer,
      primary key (municipality_code, id),
      check ((state = 'confirmed') = (confirmed_at is not null))
    )`.execute(db);
  await sql`create unique index renewal_import_confirmed_file_idx on renewal_import (municipality_code, file_sha256) where state = 'confirmed'`.execute(
    db,
  );

  await sql`
    create table renewal_target (
      municipality_code text not null,
      id uuid not null default gen_random_uuid(),
      resident_register_code text not null
        check (resident_register_code_valid(resident_register_code)),
      name text not null check (length(name) between 1 and 200),
      name_kana text check (length(name_kana) <= 200),
      birth_date date not null,
      address text not null check (length(address) between 1 and 200),
      notice_number text not null check (notice_number ~ '^[0-9A-Za-z-]{1,40}$'),
      certificate_expires_on date,
      state text not null default 'active' check (state in ('active', 'renewed', 'cleared')),
      clear_reason text check (clear_reason in ('moved_out', 'died')),
      clear_note text check (length(clear_note) <= 500),
      origin text not null check (origin in ('import', 'manual')),
      import_id uuid,
      created_by uuid not null references account (id),
      created_at timestamptz not null default now(),
      updated_by uuid references account (id),
      updated_at timestamptz,
      renewed_by uuid references account (id),
      renewed_at timestamptz,
      cleared_by uuid references account (id),
      cleared_at timestamptz,
      name_search text generated always as (
        translate(replace(normalize(name, NFKC), ' ', ''), ${sql.lit(VARIANTS)}, ${sql.lit(STANDARD)})
      ) stored,
      kana_search text generated always as (
        translate(replace(normalize(coalesce(name_kana, ''), NFKC), ' ', ''), ${sql.lit(HIRAGANA)}, ${sql.lit(KATAKANA)})
      ) stored,
      primary key (municipality_code, id),
      foreign key (municipality_code, import_id) references renewal_import (municipality_code, id),
      check (origin = 'manual' or import_id is not null),
      check ((state = 'renewed') = (renewed_at is not null and renewed_by is not null)),
      check ((state = 'cleared') = (cleared_at is not null and cleared_by is not null)),
      check ((state = 'cleared') = (clear_reason is not null))
    )`.execute(db);
  await sql`create unique index renewal_target_active_code_idx on renewal_target (municipality_code, resident_register_code) where state = 'active'`.execute(
    db,
  );
  await sql`create index renewal_target_code_idx on renewal_target (municipality_code, resident_register_code)`.execute(
    db,
  );
  await sql`create index renewal_target_notice_idx on renewal_target (municipality_code, notice_number)`.execute(
    db,
  );
  await sql`create index renewal_target_name_search_idx on renewal_target (municipality_code, name_search text_pattern_ops)`.execute(
    db,
  );
  await sql`create index renewal_target_kana_search_idx on renewal_target (municipality_code, kana_search text_pattern_ops)`.execute(
    db,
  );
  await sql`create index renewal_target_birth_date_idx on renewal_target (municipality_code, birth_date)`.execute(
    db,
  );

  await sql`
    create function renewal_target_check_state() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        if new.state <> 'active' then
          raise exception using errcode = 'check_violation',
            message = format('a renewal target starts as active, not %s', new.state);
        end if;
      elsif new.state is distinct from old.state and old.state <> 'active' then
        raise exception using errcode = 'check_violation',
          message = format('renewal target %s is %s and cannot become %s', old.id, old.state, new.state);
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger renewal_target_check_state before insert or update of state on renewal_target
    for each row execute function renewal_target_check_state()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table renewal_target`.execute(db);
  await sql`drop function renewal_target_check_state()`.execute(db);
  await sql`drop table renewal_import`.execute(db);
  await sql`drop function resident_register_code_valid(text)`.execute(db);
}
