/**
 * 異体字: variant forms of kanji in registered names, and the form residents and staff type
 * for them (山﨑 → 山崎, 髙橋 → 高橋, 𠮷田 → 吉田, 渡邉/渡邊 → 渡辺, 齋藤/齊藤/斉藤 → 斎藤).
 * Staff search compares names folded with this table on both sides: the database keeps a
 * folded copy of each name (resident.name_search, a generated column whose migration holds
 * a frozen copy of this table; resident-search.test.ts proves the two agree), the query is
 * folded here. Names are always shown exactly as registered. Compatibility ideographs with a
 * Unicode decomposition (塚 U+FA10 → 塚) are folded by NFKC on both sides already.
 * Docs: docs/decisions/0025-name-variant-search.md. A change here needs a migration that
 * redefines the column with the same table.
 */
export const NAME_VARIANTS: readonly (readonly [variant: string, standard: string])[] = [
  ['﨑', '崎'],
  ['嵜', '崎'],
  ['碕', '崎'],
  ['髙', '高'],
  ['𠮷', '吉'],
  ['齋', '斎'],
  ['齊', '斎'],
  ['斉', '斎'],
  ['邊', '辺'],
  ['邉', '辺'],
  ['德', '徳'],
  ['澤', '沢'],
  ['濱', '浜'],
  ['濵', '浜'],
  ['櫻', '桜'],
  ['嶋', '島'],
  ['嶌', '島'],
  ['國', '国'],
  ['廣', '広'],
  ['關', '関'],
  ['惠', '恵'],
  ['榮', '栄'],
  ['冨', '富'],
  ['眞', '真'],
  ['實', '実'],
  ['條', '条'],
  ['峯', '峰'],
  ['龍', '竜'],
  ['槇', '槙'],
  ['栁', '柳'],
  ['瀨', '瀬'],
  ['藏', '蔵'],
  ['黑', '黒'],
  ['鐵', '鉄'],
  ['淺', '浅'],
  ['會', '会'],
  ['邨', '村'],
  ['舘', '館'],
];

const fold = new Map(NAME_VARIANTS);

/** A name as search compares it: NFKC, no spaces, each variant kanji in its common form. */
export function foldNameVariants(name: string): string {
  return [...name.normalize('NFKC').replace(/\s+/g, '')].map((c) => fold.get(c) ?? c).join('');
}
