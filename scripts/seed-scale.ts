/**
 * npm run seed:scale -- --residents 1000000
 *
 * Builds the national-scale notice data set of docs/architecture.md ("Notices, to-dos and push at
 * national scale") in the database the app would use (DATABASE_URL, or the embedded one in
 * MADOGUCHI_DATA_DIR): residents over ~20 municipalities, a few hundred broadcasts (ONE row
 * each, some per municipality), ~2,000 targeted notices of very different audience sizes
 * (~10 recipient rows per resident on average), sparse read rows (~5 % of broadcast
 * deliveries and ~30 % of targeted ones opened), and a handful of "heavy" residents with
 * ~25,000 targeted notices each so that page 1,000 of an inbox exists.
 *
 * Every row is generated inside PostgreSQL (insert … select from generate_series, values drawn
 * from hash functions), in statements of a few million rows, all in ONE transaction with
 * synchronous_commit off: the secondary (non-constraint) indexes of resident, notice_recipient
 * and notice_read are dropped at its start and rebuilt from their own definitions at its end,
 * so a failure rolls everything back, indexes included, and nothing stays disabled. Foreign
 * keys are valid by construction (every id comes from rows just inserted), so when the session
 * may do it, the per-row FK triggers are skipped with session_replication_role = replica for
 * this transaction only (--check-fks keeps them). VACUUM (ANALYZE) runs at the end.
 *
 * Options: --residents N (1,000,000) · --per-resident R (10, mean targeted notices per
 * resident) · --targeted T (2,000) · --broadcasts B (300) · --heavy H (8 residents) ·
 * --heavy-notices K (25,000) · --broadcast-open-rate (0.05) · --targeted-open-rate (0.3) ·
 * --batch-rows (2,500,000 recipient rows per statement) · --check-fks · --keep-indexes ·
 * --no-vacuum (only ANALYZE) · --force
 * (seed although the database already holds more than 100,000 residents).
 */
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { openScriptDatabase } from './lib/database.ts';

const { values } = parseArgs({
  options: {
    residents: { type: 'string', default: '1000000' },
    'per-resident': { type: 'string', default: '10' },
    targeted: { type: 'string', default: '2000' },
    broadcasts: { type: 'string', default: '300' },
    heavy: { type: 'string', default: '8' },
    'heavy-notices': { type: 'string', default: '25000' },
    'broadcast-open-rate': { type: 'string', default: '0.05' },
    'targeted-open-rate': { type: 'string', default: '0.3' },
    'batch-rows': { type: 'string', default: '2500000' },
    'check-fks': { type: 'boolean', default: false },
    'keep-indexes': { type: 'boolean', default: false },
    'no-vacuum': { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
  },
});

function int(name: keyof typeof values, min: number, max: number): number {
  const n = Number(String(values[name]).replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be an integer between ${min} and ${max}`);
    process.exit(64);
  }
  return n;
}
function rate(name: keyof typeof values): number {
  const n = Number(values[name]);
  if (!(n >= 0 && n <= 1)) {
    console.error(`--${name} must be between 0 and 1`);
    process.exit(64);
  }
  return n;
}

const N = int('residents', 1, 50_000_000);
const PER = int('per-resident', 0, 200);
const T = int('targeted', 1, 100_000);
const B = int('broadcasts', 0, 10_000);
const H = Math.min(int('heavy', 0, 100), N);
const HN = H > 0 ? int('heavy-notices', 0, 200_000) : 0;
const BCAST_OPEN = rate('broadcast-open-rate');
const TARGET_OPEN = rate('targeted-open-rate');
const BATCH_ROWS = int('batch-rows', 10_000, 50_000_000);

/** Shaped like 全国地方公共団体コード (six digits with check digit); weight = relative population. */
const MUNICIPALITIES: [code: string, prefecture: string, city: string, weight: number][] = [
  ['131016', '東京都', '千代田区', 1],
  ['131041', '東京都', '新宿区', 4],
  ['131130', '東京都', '渋谷区', 3],
  ['131237', '東京都', '江戸川区', 7],
  ['141003', '神奈川県', '横浜市', 30],
  ['141305', '神奈川県', '川崎市', 12],
  ['142018', '神奈川県', '横須賀市', 4],
  ['142085', '神奈川県', '逗子市', 1],
  ['142107', '神奈川県', '三浦市', 1],
  ['011002', '北海道', '札幌市', 16],
  ['041009', '宮城県', '仙台市', 9],
  ['151009', '新潟県', '新潟市', 6],
  ['221007', '静岡県', '静岡市', 5],
  ['231002', '愛知県', '名古屋市', 19],
  ['261009', '京都府', '京都市', 12],
  ['271004', '大阪府', '大阪市', 23],
  ['281000', '兵庫県', '神戸市', 13],
  ['341002', '広島県', '広島市', 10],
  ['401307', '福岡県', '福岡市', 13],
  ['472018', '沖縄県', '那覇市', 3],
];
const TOWNS = ['本町', '中央', '栄町', '緑町', '旭町', '若葉', '桜台', '港町', '東町', '西町'];
const SURNAMES: [string, string][] = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['田中', 'タナカ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['加藤', 'カトウ'],
  ['吉田', 'ヨシダ'],
  ['山田', 'ヤマダ'],
  ['佐々木', 'ササキ'],
  ['山口', 'ヤマグチ'],
  ['松本', 'マツモト'],
  ['井上', 'イノウエ'],
  ['木村', 'キムラ'],
  ['林', 'ハヤシ'],
  ['斎藤', 'サイトウ'],
  ['清水', 'シミズ'],
  ['山﨑', 'ヤマザキ'],
  ['森', 'モリ'],
  ['池田', 'イケダ'],
  ['橋本', 'ハシモト'],
  ['阿部', 'アベ'],
  ['石川', 'イシカワ'],
  ['渡邊', 'ワタナベ'],
  ['髙橋', 'タカハシ'],
  ['𠮷田', 'ヨシダ'],
  ['齋藤', 'サイトウ'],
];
const MALE: [string, string][] = [
  ['翔太', 'ショウタ'],
  ['大輔', 'ダイスケ'],
  ['健一', 'ケンイチ'],
  ['拓也', 'タクヤ'],
  ['誠', 'マコト'],
  ['蓮', 'レン'],
  ['陽翔', 'ハルト'],
  ['浩二', 'コウジ'],
  ['正和', 'マサカズ'],
  ['悠真', 'ユウマ'],
  ['隆', 'タカシ'],
  ['一郎', 'イチロウ'],
];
const FEMALE: [string, string][] = [
  ['陽子', 'ヨウコ'],
  ['花子', 'ハナコ'],
  ['美咲', 'ミサキ'],
  ['結衣', 'ユイ'],
  ['恵子', 'ケイコ'],
  ['さくら', 'サクラ'],
  ['葵', 'アオイ'],
  ['直美', 'ナオミ'],
  ['由美', 'ユミ'],
  ['凛', 'リン'],
  ['和子', 'カズコ'],
  ['愛', 'アイ'],
];
const FOREIGN: [latin: string, kana: string][] = [
  ['SMITH JOHN', 'スミス　ジョン'],
  ['NGUYEN VAN AN', 'グエン　ヴァン　アン'],
  ['SILVA MARIA', 'シウヴァ　マリア'],
  ['KIM MINJUN', 'キム　ミンジュン'],
  ['SANTOS JOSE', 'サントス　ホセ'],
  ['WANG FANG', 'ワン　ファン'],
];
/** [sender, title ja, title en] for targeted notices (one person, one matter). */
const TARGETED_TITLES: [string, string, string][] = [
  ['digital_agency', '電子証明書の有効期限が近づいています', 'Your card certificate expires soon'],
  ['municipality', '住民税額の決定通知', 'Your resident tax assessment'],
  ['municipality', '国民健康保険料の納付のお知らせ', 'National Health Insurance premium due'],
  ['mhlw', '年金に関するお知らせ', 'About your pension'],
  ['nta', '確定申告のご案内', 'Your tax return guide'],
  ['soumu', '給付金の振込完了のお知らせ', 'Your benefit payment has been transferred'],
  ['mhlw', '予防接種のご案内', 'Vaccination invitation'],
  ['mhlw', '医療費のお知らせ', 'Your medical expense statement'],
  ['municipality', '児童手当の現況について', 'Child allowance status'],
  ['soumu', 'ふるさと納税の受領証明', 'Hometown tax donation receipt'],
];
const BROADCAST_TITLES: [string, string, string][] = [
  ['operator', 'システムメンテナンスのお知らせ', 'Scheduled maintenance'],
  ['operator', '新機能のお知らせ', 'New feature'],
  ['digital_agency', 'マイナンバーカードの申請について', 'Applying for a My Number Card'],
  ['nta', '確定申告期間のお知らせ', 'Tax return period'],
  ['mhlw', '健康保険証の移行について', 'Moving to the card as health insurance certificate'],
  ['soumu', '選挙のお知らせ', 'Election notice'],
];
const MUNICIPAL_TITLES: [string, string][] = [
  ['防災訓練のお知らせ', 'Disaster drill'],
  ['ごみ収集日程の変更', 'Change to waste collection days'],
  ['窓口の開庁時間の変更', 'New opening hours at the city office'],
  ['健康診断のご案内', 'Health check-up invitation'],
];
const BODY_JA =
  'このお知らせは規模試験用に生成されたものです。\n\n' +
  '手続きの詳しい内容は、[デジタル庁のウェブサイト](https://www.digital.go.jp/)をご覧ください。\n\n' +
  '- 期限：お知らせの日から30日以内\n- 持ち物：マイナンバーカード\n- 問い合わせ：お住まいの市区町村の窓口\n\n' +
  'ご不明な点がありましたら、窓口までお問い合わせください。土曜日・日曜日・祝日は休みです。';
const BODY_EN =
  'This notice was generated for the scale test.\n\n' +
  'See the [Digital Agency website](https://www.digital.go.jp/en/) for the details of the procedure.\n\n' +
  '- Deadline: within 30 days of this notice\n- Bring: your My Number Card\n- Questions: your municipal office\n\n' +
  'Please ask at the counter if anything is unclear. Closed on Saturdays, Sundays and public holidays.';

/** A SQL text literal. */
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const arr = (items: string[]) => `array[${items.map(lit).join(',')}]`;
/** One element of a literal array picked by a non-negative integer expression. */
const pick = (items: string[], expr: string) =>
  `(${arr(items)})[1 + ((${expr}) % ${items.length})]`;

const started = Date.now();
const since = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)} s`;
const fmt = (n: number) => n.toLocaleString('en-US');
function log(message: string) {
  console.log(`[${since(started).padStart(8)}] ${message}`);
}

const { db, close } = await openScriptDatabase();
try {
  const [{ residents: existing } = { residents: 0 }] = (
    await sql<{ residents: number }>`select count(*)::int as residents from resident`.execute(db)
  ).rows;
  if (existing > 100_000 && !values.force) {
    console.error(
      `This database already holds ${fmt(existing)} residents: it looks seeded at scale already.\n` +
        'Run the benchmark on it (npm run bench:notices), use an empty data folder ' +
        '(MADOGUCHI_DATA_DIR=/tmp/… or another DATABASE_URL), or add --force to add another data set.',
    );
    process.exitCode = 1;
  } else {
    const t = Date.now();
    const summary = await db.transaction().execute((trx) => seed(trx, existing));
    log(`committed (${since(t)})`);
    // The seed may skip triggers (replica mode above), including those that keep the stored
    // unread counts current (migration 0007): no count stored before it may be used again.
    await sql`update notice_unread_epoch set epoch = epoch + 1 where id`.execute(db);
    // VACUUM cannot run in a transaction. It also sets the visibility map, so inbox
    // index-only scans need no heap visits, as after autovacuum's pass in production.
    for (const table of ['resident', 'notice', 'notice_recipient', 'notice_read']) {
      const v = Date.now();
      const what = values['no-vacuum'] ? 'analyze' : 'vacuum (analyze)';
      await sql.raw(`${what} ${table}`).execute(db);
      log(`${what} ${table} (${since(v)})`);
    }
    const [size] = (
      await sql<{ size: string }>`
        select pg_size_pretty(pg_database_size(current_database())) as size`.execute(db)
    ).rows;
    log(`${summary}; database ${size?.size ?? '?'}`);
    console.log(`\nseed:scale done in ${since(started)}.`);
  }
} finally {
  await close();
}

async function seed(conn: Kysely<Database>, existing: number): Promise<string> {
  const run = async <R = Record<string, unknown>>(text: string) =>
    (await sql.raw<R>(text).execute(conn)).rows;
  // Statements run one by one (the extended protocol takes one statement at a time).
  const step = async <R = Record<string, unknown>>(label: string, text: string | string[]) => {
    const t = Date.now();
    let rows: R[] = [];
    for (const statement of Array.isArray(text) ? text : [text]) rows = await run<R>(statement);
    log(`${label} (${since(t)})`);
    return rows;
  };

  log(
    `seeding ${fmt(N)} residents, ${fmt(B)} broadcasts, ${fmt(T)} targeted notices ` +
      `(~${PER} per resident), ${H} heavy residents with ${fmt(HN)} notices each`,
  );
  // Settings for this transaction only (temp_buffers before the first temporary table).
  for (const setting of [
    `synchronous_commit = off`,
    `work_mem = '256MB'`,
    `maintenance_work_mem = '1GB'`,
    `temp_buffers = '512MB'`,
    `jit = off`,
  ])
    await run(`set local ${setting}`);
  const [su] = await run<{ su: string }>(`select current_setting('is_superuser') as su`);
  const skipFks = !values['check-fks'] && su?.su === 'on';
  if (skipFks) await run(`set local session_replication_role = replica`);
  log(
    skipFks
      ? 'FK triggers skipped in this transaction (ids come from the rows just inserted)'
      : 'FK triggers active',
  );
  // Secondary indexes are cheaper to build once than to maintain row by row; the dropping is
  // part of this transaction, so they come back whatever happens.
  const indexes = values['keep-indexes']
    ? []
    : await run<{ name: string; def: string }>(`
        select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
        from pg_index i
        where i.indrelid in ('resident'::regclass, 'notice_recipient'::regclass, 'notice_read'::regclass)
          and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
        order by 1`);
  for (const index of indexes) await run(`drop index ${index.name}`);
  if (indexes.length)
    log(`dropped ${indexes.length} secondary indexes until the end of the transaction`);

  // u(key, salt): a uniform pseudo-random double in [0, 1), the same for the same arguments.
  await run(`
    create function pg_temp.u(k bigint, salt bigint) returns double precision
    language sql immutable parallel safe
    as $$ select (hashint8extended(k, salt) & 4503599627370495)::double precision / 4503599627370496.0 $$`);
  // ... and one for a (resident, notice) pair.
  await run(`
    create function pg_temp.up(a uuid, b uuid, salt bigint) returns double precision
    language sql immutable parallel safe
    as $$ select (uuid_hash_extended(b, uuid_hash_extended(a, salt)) & 4503599627370495)::double precision / 4503599627370496.0 $$`);

  const total = MUNICIPALITIES.reduce((s, m) => s + m[3], 0);
  let cum = 0;
  const muniRows = MUNICIPALITIES.map(([code, pref, city, w], i) => {
    const lo = cum / total;
    cum += w;
    const hi = i === MUNICIPALITIES.length - 1 ? 1.0000001 : cum / total;
    return `(${i + 1}, ${lit(code)}, ${lit(pref)}, ${lit(city)}, ${lo}, ${hi})`;
  });
  await run(`create temp table scale_muni (idx int primary key, code text not null, prefecture text not null,
    city text not null, lo double precision not null, hi double precision not null)`);
  await run(`insert into scale_muni values ${muniRows.join(',')}`);

  // ---- Residents -------------------------------------------------------------------------
  await run(`create temp table scale_ins (id uuid not null, muni text not null)`);
  const residentBatch = 250_000;
  for (let lo = 1; lo <= N; lo += residentBatch) {
    const hi = Math.min(N, lo + residentBatch - 1);
    const g = `(${existing} + s.g)::bigint`;
    const h = (salt: number) => `(hashint8extended(${g}, ${salt}) & 2147483647)`;
    // Name parts: column 0 is the written name, column 1 its katakana reading.
    const male = `s.sex = 'male' or (s.sex = 'unspecified' and ${h(6)} % 2 = 0)`;
    const name = (col: 0 | 1) => {
      const foreign = pick(
        FOREIGN.map((f) => f[col]),
        h(4),
      );
      const family = pick(
        SURNAMES.map((n) => n[col]),
        h(5),
      );
      const given = `case when ${male} then ${pick(
        MALE.map((n) => n[col]),
        h(7),
      )} else ${pick(
        FEMALE.map((n) => n[col]),
        h(7),
      )} end`;
      return `case when s.foreign_born then ${foreign} else ${family} || '　' || ${given} end`;
    };
    const latin = `case when s.foreign_born then ${pick(
      FOREIGN.map((f) => f[0]),
      h(4),
    )} end`;
    const address =
      `s.prefecture || s.city || ${pick(TOWNS, h(9))} || (1 + ${h(10)} % 5) || '丁目' ` +
      `|| (1 + ${h(11)} % 30) || '番' || (1 + ${h(12)} % 20) || '号'`;
    await step(
      `residents ${fmt(lo)}–${fmt(hi)}`,
      `
      with src as (
        select g, gen_random_uuid() as id, pg_temp.u((${existing} + g)::bigint, 1) as mu,
               pg_temp.u((${existing} + g)::bigint, 2) as su
        from generate_series(${lo}, ${hi}) g
      ), people as (
        select s.*, m.code, m.prefecture, m.city,
               case when s.su < 0.49 then 'male' when s.su < 0.985 then 'female' else 'unspecified' end as sex,
               pg_temp.u(${g}, 3) < 0.02 as foreign_born
        from src s join scale_muni m on s.mu >= m.lo and s.mu < m.hi
      ), ins as (
        insert into resident (id, register_code, name, name_kana, name_latin, birth_date, sex, address,
                              municipality_code, municipality_name, card_manufacture_number)
        select s.id,
               lpad((${g} * 7368787421 % 100000000000)::text, 11, '0'),
               ${name(0)},
               ${name(1)},
               ${latin},
               date '1925-01-01' + (${h(8)} % 36500)::int,
               s.sex,
               ${address},
               s.code, s.city,
               case when pg_temp.u(${g}, 13) < 0.8 then upper(substr(md5(s.id::text), 1, 12)) end
        from people s
        order by s.id
        on conflict do nothing
        returning id, municipality_code
      )
      insert into scale_ins select id, municipality_code from ins`,
    );
  }
  // Sequence numbers in id order: a batch of sequence numbers is a contiguous id range, so
  // each batch below inserts into one region of every (resident_id, …) index.
  await step(
    'numbered the new residents',
    `create temp table scale_resident as
       select (row_number() over (order by i.id))::int as seq, i.id, m.idx as muni_idx
       from scale_ins i join scale_muni m on m.code = i.muni`,
  );
  await run(`alter table scale_resident add primary key (seq)`);
  await run(`analyze scale_resident`);
  const [{ n: inserted } = { n: 0 }] = await run<{ n: number }>(
    `select count(*)::int as n from scale_resident`,
  );
  if (inserted < N) log(`${fmt(N - inserted)} residents skipped (register code already taken)`);

  // ---- Notices ---------------------------------------------------------------------------
  const threeYears = 3 * 365 * 86400;
  await step(`${fmt(B)} broadcast notices (one row each)`, [
    `create temp table scale_broadcast as
      select g as ord, gen_random_uuid() as id,
             case when g % 4 = 0 then 1 + (g / 4 - 1) % ${MUNICIPALITIES.length} end as muni_idx,
             case when g % 97 = 0 then now() + make_interval(days => 1 + g % 30)
                  else now() - make_interval(secs => floor(pg_temp.u(g, 31) * ${threeYears})) end as publish_at
      from generate_series(1, ${B}) g`,
    `insert into notice (id, kind, audience, municipality_code, sender, title_ja, title_en, body_ja, body_en,
                        publish_at, expires_at, withdrawn_at, created_at)
    select b.id, 'broadcast', case when b.muni_idx is null then 'all' else 'municipality' end, m.code,
           case when b.muni_idx is null then ${pick(
             BROADCAST_TITLES.map((t) => t[0]),
             'b.ord',
           )} else 'municipality' end,
           case when b.muni_idx is null then ${pick(
             BROADCAST_TITLES.map((t) => t[1]),
             'b.ord',
           )}
                else m.city || '：' || ${pick(
                  MUNICIPAL_TITLES.map((t) => t[0]),
                  'b.ord',
                )} end || '（' || b.ord || '）',
           case when b.muni_idx is null then ${pick(
             BROADCAST_TITLES.map((t) => t[2]),
             'b.ord',
           )}
                else ${pick(
                  MUNICIPAL_TITLES.map((t) => t[1]),
                  'b.ord',
                )} end || ' (' || b.ord || ')',
           ${lit(BODY_JA)}, ${lit(BODY_EN)},
           b.publish_at,
           case when b.ord % 11 = 0 then b.publish_at + interval '30 days' end,
           case when b.ord % 53 = 0 and b.publish_at < now() then least(now(), b.publish_at + interval '1 day') end,
           least(now(), b.publish_at) - interval '1 day'
    from scale_broadcast b left join scale_muni m on m.idx = b.muni_idx`,
  ]);
  await step(`${fmt(T)} targeted notices` + (HN ? ` and ${fmt(HN)} for the heavy residents` : ''), [
    `create temp table scale_targeted as
      select g as ord, gen_random_uuid() as id, g > ${T} as heavy,
             case when g <= ${T} and g % 97 = 0 then now() + make_interval(days => 1 + g % 30)
                  else now() - make_interval(secs => floor(pg_temp.u(g, 41) * ${threeYears})) end as publish_at
      from generate_series(1, ${T + HN}) g`,
    `alter table scale_targeted add primary key (ord)`,
    `insert into notice (id, kind, audience, sender, title_ja, title_en, body_ja, body_en,
                        publish_at, expires_at, withdrawn_at, created_at)
    select t.id, 'targeted', 'list',
           ${pick(
             TARGETED_TITLES.map((x) => x[0]),
             't.ord',
           )},
           ${pick(
             TARGETED_TITLES.map((x) => x[1]),
             't.ord',
           )} || '（第' || t.ord || '号）',
           case when t.ord % 20 <> 7 then ${pick(
             TARGETED_TITLES.map((x) => x[2]),
             't.ord',
           )} || ' (No. ' || t.ord || ')' end,
           ${lit(BODY_JA)},
           case when t.ord % 20 <> 7 then ${lit(BODY_EN)} end,
           t.publish_at,
           case when not t.heavy and t.ord % 11 = 0 then t.publish_at + interval '30 days' end,
           case when not t.heavy and t.ord % 53 = 0 and t.publish_at < now()
                then least(now(), t.publish_at + interval '1 day') end,
           least(now(), t.publish_at) - interval '1 day'
    from scale_targeted t`,
    `analyze scale_targeted`,
  ]);
  // Broadcasts a resident of each municipality can have opened (published ones in audience),
  // numbered 1..n per municipality (a join, not arrays: arrays would be detoasted per row).
  await run(`
    create temp table scale_bpick as
      select m.idx as muni_idx, (row_number() over (partition by m.idx order by b.ord))::int as k,
             b.id, b.publish_at, count(*) over (partition by m.idx) ::int as n
      from scale_muni m
      join scale_broadcast b on b.publish_at <= now() and (b.muni_idx is null or b.muni_idx = m.idx)`);
  await run(`alter table scale_bpick add primary key (muni_idx, k)`);
  await run(`create temp table scale_bcount as select distinct muni_idx, n from scale_bpick`);
  await run(`analyze scale_bpick`);
  await run(`analyze scale_bcount`);

  // ---- Recipient rows and read rows, in batches of residents ------------------------------
  // Each resident receives ~Exp(PER) targeted notices; notice ord = 1 + T·u² so audiences
  // range from a few thousand residents to a few percent of the country.
  const perBatch = Math.max(1000, Math.floor(BATCH_ROWS / Math.max(1, PER)));
  let recipientsTotal = 0;
  let readsTotal = 0;
  for (let lo = 0; lo < inserted; lo += perBatch) {
    const hi = Math.min(inserted, lo + perBatch);
    const t = Date.now();
    const [counts] = await run<{ recipients: number; reads: number }>(`
      with picks as (
        select s.id as resident_id, t.id as notice_id, t.publish_at
        from scale_resident s
        cross join lateral generate_series(1, floor(-ln(1 - pg_temp.u(s.seq, 51)) * ${PER} + 0.5)::int) j
        join scale_targeted t on t.ord = 1 + floor(${T} * power(pg_temp.u(s.seq::bigint * 1000 + j, 52), 2))::int
        where s.seq > ${lo} and s.seq <= ${hi}
        group by 1, 2, 3
      ), ins as (
        insert into notice_recipient (resident_id, notice_id, publish_at)
        select resident_id, notice_id, publish_at from picks
        order by resident_id, publish_at desc, notice_id desc
        returning resident_id, notice_id, publish_at
      ), rd as (
        insert into notice_read (resident_id, notice_id, first_opened_at)
        select resident_id, notice_id,
               least(now(), publish_at + make_interval(mins => floor(power(pg_temp.up(resident_id, notice_id, 54), 4) * 43200)::int))
        from ins
        where publish_at <= now() and pg_temp.up(resident_id, notice_id, 53) < ${TARGET_OPEN}
        order by resident_id, notice_id
        returning 1
      )
      select (select count(*) from ins)::int as recipients, (select count(*) from rd)::int as reads`);
    const [bcast] = await run<{ reads: number }>(`
      with opened as (
        select distinct on (s.id, b.id) s.id as resident_id, b.id as notice_id,
               least(now(), b.publish_at + make_interval(mins => floor(power(pg_temp.u(s.seq::bigint * 1000 + j, 63), 4) * 43200)::int)) as at
        from scale_resident s
        join scale_bcount c on c.muni_idx = s.muni_idx
        cross join lateral generate_series(1, floor(-ln(1 - pg_temp.u(s.seq, 61)) * c.n * ${BCAST_OPEN} + 0.5)::int) j
        join scale_bpick b on b.muni_idx = s.muni_idx
          and b.k = 1 + floor(c.n * power(pg_temp.u(s.seq::bigint * 1000 + j, 62), 1.5))::int
        where s.seq > ${lo} and s.seq <= ${hi}
        order by s.id, b.id
      ), ins as (
        insert into notice_read (resident_id, notice_id, first_opened_at)
        select resident_id, notice_id, at from opened
        returning 1
      )
      select count(*)::int as reads from ins`);
    recipientsTotal += counts?.recipients ?? 0;
    readsTotal += (counts?.reads ?? 0) + (bcast?.reads ?? 0);
    log(
      `residents ${fmt(lo + 1)}–${fmt(hi)}: ${fmt(counts?.recipients ?? 0)} recipient rows, ` +
        `${fmt(counts?.reads ?? 0)} targeted + ${fmt(bcast?.reads ?? 0)} broadcast read rows (${since(t)})`,
    );
  }

  // ---- Heavy residents: every heavy notice, so that page 1,000 of their inbox exists ---------
  let heavyIds: string[] = [];
  if (H > 0 && HN > 0) {
    const seqs = Array.from({ length: H }, (_, i) =>
      Math.min(inserted, 1 + Math.floor(((i + 0.5) * inserted) / H)),
    );
    const [heavy] = await step<{ recipients: number; reads: number }>(
      `heavy residents: ${H} × ${fmt(HN)} recipient rows`,
      `
      with ins as (
        insert into notice_recipient (resident_id, notice_id, publish_at)
        select s.id, t.id, t.publish_at
        from scale_resident s cross join scale_targeted t
        where s.seq in (${seqs.join(',')}) and t.heavy
        order by s.id, t.publish_at desc, t.id desc
        returning resident_id, notice_id, publish_at
      ), rd as (
        insert into notice_read (resident_id, notice_id, first_opened_at)
        select resident_id, notice_id,
               least(now(), publish_at + make_interval(mins => floor(power(pg_temp.up(resident_id, notice_id, 54), 4) * 43200)::int))
        from ins
        where publish_at <= now() and pg_temp.up(resident_id, notice_id, 53) < ${TARGET_OPEN}
        returning 1
      )
      select (select count(*) from ins)::int as recipients, (select count(*) from rd)::int as reads`,
    );
    recipientsTotal += heavy?.recipients ?? 0;
    readsTotal += heavy?.reads ?? 0;
    heavyIds = (
      await run<{ id: string }>(
        `select id from scale_resident where seq in (${seqs.join(',')}) order by seq`,
      )
    ).map((r) => r.id);
  }

  await step(
    'audience sizes of the targeted notices',
    `
    update notice n set audience_size = c.n
    from (select r.notice_id, count(*)::int as n from notice_recipient r
          join scale_targeted t on t.id = r.notice_id group by r.notice_id) c
    where n.id = c.notice_id`,
  );
  for (const index of indexes) await step(`rebuilt ${index.name}`, index.def);

  const meta = {
    seededAt: new Date().toISOString(),
    residents: inserted,
    broadcasts: B,
    targeted: T,
    heavyNotices: HN,
    heavyResidentIds: heavyIds,
    recipientRows: recipientsTotal,
    readRows: readsTotal,
  };
  await conn
    .insertInto('appMeta')
    .values({ key: 'scale_seed', value: meta })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: meta, updatedAt: new Date() }))
    .execute();
  return (
    `${fmt(inserted)} residents, ${fmt(B + T + HN)} notices, ${fmt(recipientsTotal)} recipient rows, ` +
    `${fmt(readsTotal)} read rows`
  );
}
