/**
 * npm run bench:targets — the card-pickup target list at a city's scale, through the services
 * (the staff pages do not exist yet; decision 0042):
 *   (1) import of a generated CS-terminal list of BENCH_TARGET_ROWS (100,000) lines in CP932 with
 *       異体字 and 和暦 dates: staging (read, check, stage) and confirmation (one transaction),
 *       rows/s and the process's peak RSS;
 *   (2) search by name + date of birth at that many targets: BENCH_SEARCHES (2,000) searches
 *       from BENCH_CONNECTIONS (32) concurrent callers, searches/s and p50/p95/p99.
 * Goal (issue 11): import ≥ 5,000 rows/s, search p95 ≤ 50 ms. A throw-away embedded PostgreSQL
 * with durable commits, migrated like the app's.
 */
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import { encodeCp932 } from '../app/csv/csv-stream.server.ts';
import {
  confirmTargetImport,
  stageTargetImport,
} from '../app/targets/target-import.service.server.ts';
import { searchTargets } from '../app/targets/target.service.server.ts';
import { throwAwayDatabase } from './lib/throwaway-database.ts';

const ROWS = Number(process.env.BENCH_TARGET_ROWS ?? 100_000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 2_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CITY = '142107';

const FAMILY = ['髙橋', '山﨑', '渡邉', '齋藤', '佐藤', '鈴木', '田中', '伊藤', '𠮷田', '小林'];
const FAMILY_KANA = [
  'タカハシ',
  'ヤマサキ',
  'ワタナベ',
  'サイトウ',
  'サトウ',
  'スズキ',
  'タナカ',
  'イトウ',
  'ヨシダ',
  'コバヤシ',
];
const GIVEN = ['太郎', '花子', '一', '美咲', '健', '由美', '翔', '愛', '誠', '陽菜'];
const GIVEN_KANA = [
  'タロウ',
  'ハナコ',
  'ハジメ',
  'ミサキ',
  'ケン',
  'ユミ',
  'ショウ',
  'アイ',
  'マコト',
  'ヒナ',
];
const ERA = [
  ['S', 1925],
  ['H', 1988],
  ['R', 2018],
] as const;

/** A deterministic list: line n always holds the same person. */
function person(n: number) {
  const f = n % FAMILY.length;
  const g = Math.floor(n / FAMILY.length) % GIVEN.length;
  const year = 1930 + (n % 90);
  const month = 1 + (n % 12);
  const day = 1 + (n % 28);
  const era = year >= 2019 ? ERA[2] : year >= 1989 ? ERA[1] : ERA[0];
  return {
    name: `${FAMILY[f]}　${GIVEN[g]}`,
    kana: `${FAMILY_KANA[f]}　${GIVEN_KANA[g]}`,
    birthIso: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    birth: `${era[0]}${year - era[1]}.${month}.${day}`,
  };
}

function generateList(rows: number): Uint8Array {
  const lines = ['申請書ID,製造管理番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所'];
  for (let n = 0; n < rows; n++) {
    const p = person(n);
    lines.push(
      `A${String(n).padStart(9, '0')},MN${String(n).padStart(10, '0')},${p.name},${p.kana},${p.birth},${n % 2 ? '男' : '女'},2380101,三浦市城山町${n % 500}-${n % 7}`,
    );
  }
  // CP932 cannot hold 𠮷: the generator writes 吉 there, as a CS export would have to.
  const encoded = encodeCp932(lines.join('\r\n').replaceAll('𠮷', '吉') + '\r\n');
  if (!encoded.ok) throw new Error(`not CP932: ${encoded.unrepresentable}`);
  return encoded.bytes;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const round = (n: number) => Math.round(n * 10) / 10;

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

const { db, actor, close } = await throwAwayDatabase('targets', CONNECTIONS);
try {
  const bytes = generateList(ROWS);
  const rssBefore = process.memoryUsage().rss;
  peakRss = rssBefore;
  const t0 = performance.now();
  const staged = await stageTargetImport(db, actor, {
    municipalityCode: CITY,
    fileName: 'bench.csv',
    bytes,
  });
  if (staged.outcome !== 'staged') throw new Error(`not staged: ${JSON.stringify(staged)}`);
  const t1 = performance.now();
  const confirmed = await confirmTargetImport(db, actor, {
    municipalityCode: CITY,
    importId: staged.importId,
  });
  const t2 = performance.now();
  if (confirmed.outcome !== 'confirmed' || confirmed.counts.new !== ROWS)
    throw new Error(`not imported: ${JSON.stringify(confirmed)}`);
  await sql`analyze pickup_target`.execute(db);

  const times: number[] = [];
  let next = 0;
  let found = 0;
  const s0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < SEARCHES) {
        const p = person((next++ * 7919) % ROWS);
        const started = performance.now();
        const result = await searchTargets(db, actor, CITY, {
          name: p.name.split('　')[0]!.replace('𠮷', '吉'),
          birthDate: p.birthIso,
        });
        times.push(performance.now() - started);
        if (result.outcome === 'found' && result.targets.length > 0) found++;
      }
    }),
  );
  const s1 = performance.now();
  times.sort((a, b) => a - b);

  const importRate = ROWS / ((t2 - t0) / 1000);
  const p95 = percentile(times, 95);
  console.log(
    `bench:targets — ${ROWS.toLocaleString()} lines (${(bytes.byteLength / 1e6).toFixed(1)} MB CP932), ` +
      `${SEARCHES} searches from ${CONNECTIONS} callers, ${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  console.table([
    {
      step: 'stage (read, check, stage)',
      seconds: round((t1 - t0) / 1000),
      'rows/s': Math.round(ROWS / ((t1 - t0) / 1000)),
    },
    {
      step: 'confirm (one transaction)',
      seconds: round((t2 - t1) / 1000),
      'rows/s': Math.round(ROWS / ((t2 - t1) / 1000)),
    },
    { step: 'import in all', seconds: round((t2 - t0) / 1000), 'rows/s': Math.round(importRate) },
  ]);
  console.log(
    `peak RSS ${Math.round(peakRss / 1e6)} MB (before the import ${Math.round(rssBefore / 1e6)} MB)`,
  );
  console.table([
    {
      scenario: 'search name + date of birth',
      'searches/s': Math.round(SEARCHES / ((s1 - s0) / 1000)),
      'p50/p95/p99 ms': `${round(percentile(times, 50))} / ${round(p95)} / ${round(percentile(times, 99))}`,
      'with a match': `${found}/${SEARCHES}`,
    },
  ]);
  console.log(
    `goals: import ≥ 5,000 rows/s: ${importRate >= 5000 ? 'met' : 'NOT met'}; ` +
      `search p95 ≤ 50 ms: ${p95 <= 50 ? 'met' : 'NOT met'}`,
  );
} finally {
  clearInterval(sampler);
  await close();
}
