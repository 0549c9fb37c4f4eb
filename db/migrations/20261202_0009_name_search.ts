import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code.
// Staff search finds a name however its 異体字 (variant kanji) are written: 山﨑 by 山崎,
// 髙橋 by 高橋 (docs/decisions/0025-name-variant-search.md). name_search is the name as search
// compares it: NFKC, without spaces, each variant replaced by its common form. The same table
// is app/identity/name-variants.ts at the time of writing; resident-search.test.ts checks
// that the two agree. translate() and normalize() are immutable, so the column is generated
// by PostgreSQL itself and can never disagree with the name.
const VARIANTS = '﨑嵜碕髙𠮷齋齊斉邊邉德澤濱濵櫻嶋嶌國廣關惠榮冨眞實條峯龍槇栁瀨藏黑鐵淺會邨舘';
const STANDARD = '崎崎崎高吉斎斎斎辺辺徳沢浜浜桜島島国広関恵栄富真実条峰竜槙柳瀬蔵黒鉄浅会村館';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table resident add column name_search text generated always as (
      translate(replace(normalize(name, NFKC), ' ', ''), ${sql.lit(VARIANTS)}, ${sql.lit(STANDARD)})
    ) stored`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table resident drop column name_search`.execute(db);
}
