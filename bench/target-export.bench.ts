/**
 * npm run bench:target-export — exporting a city's card-pickup targets at its scale
 * (decision 0047): BENCH_TARGET_ROWS (100,000) targets, one in ten handed over, through the
 * export service and the CSV writer exactly as the download route streams them, in UTF-8 and
 * in CP932 (which is checked first, then written). Reports seconds, rows/s, bytes and the
 * process's peak RSS and heap during each export. The targets are written with one
 * set-based statement, not through the import, so the import's memory is not in the figures.
 * A throw-away embedded PostgreSQL with durable commits, migrated like the app's.
 */
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import { csvStream, type CsvOutputEncoding } from '../app/csv/csv-stream.server.ts';
import { TARGET_EXPORT_HEADER } from '../app/targets/target-export-csv.ts';
import { exportTargets } from '../app/targets/target-export.service.server.ts';
import { throwAwayDatabase } from './lib/throwaway-database.ts';

const ROWS = Number(process.env.BENCH_TARGET_ROWS ?? 100_000);
const CITY = '142107';

const round = (n: number) => Math.round(n * 10) / 10;
const mb = (n: number) => Math.round(n / 1e6);

let peakRss = 0;
let peakHeap = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 20);

const { db, actor, close } = await throwAwayDatabase('target-export', 4);
const staffId = actor.actorId;
try {
  // 異体字 in names and addresses, as the CS list has them (CP932 holds all of these).
  await sql`
    insert into pickup_target (municipality_code, application_id, manufacture_no, name, name_kana,
                               birth_date, sex, postal_code, address)
    select ${CITY}, 'A' || lpad(n::text, 9, '0'), 'MN' || lpad(n::text, 10, '0'),
           (array['髙橋','山﨑','渡邉','齋藤','佐藤'])[1 + n % 5] || '　' ||
             (array['太郎','花子','一','美咲','健'])[1 + (n / 5) % 5],
           (array['タカハシ','ヤマサキ','ワタナベ','サイトウ','サトウ'])[1 + n % 5] || '　タロウ',
           date '1930-01-01' + (n % 30000), (array['male','female'])[1 + n % 2], '2380101',
           '三浦市城山町' || (n % 500) || '-' || (n % 7)
    from generate_series(0, ${ROWS - 1}) as n`.execute(db);
  await sql`
    insert into pickup_handover (municipality_code, target_id, manufacture_no, issued_at, issued_by,
                                 identity_documents, face_check, user_certificate,
                                 signing_certificate, pin_setup)
    select municipality_code, id, manufacture_no, now(), ${staffId}::uuid,
           array['notice_letter','driving_licence'], 'matched', true, true, true
    from pickup_target where municipality_code = ${CITY} and right(application_id, 1) = '0'`.execute(
    db,
  );
  await sql`analyze pickup_target`.execute(db);
  await sql`analyze pickup_handover`.execute(db);

  const results: Record<string, string | number>[] = [];
  for (const encoding of ['utf-8', 'cp932'] as CsvOutputEncoding[]) {
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage();
    peakRss = before.rss;
    peakHeap = before.heapUsed;
    const t0 = performance.now();
    const result = await exportTargets(db, actor, { municipalityCode: CITY }, encoding);
    if (result.outcome !== 'ready') throw new Error(`refused: ${JSON.stringify(result)}`);
    const t1 = performance.now();
    let bytes = 0;
    const reader = csvStream(TARGET_EXPORT_HEADER, result.lines, encoding).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read())
      bytes += next.value.byteLength;
    const t2 = performance.now();
    if (result.rows !== ROWS) throw new Error(`exported ${result.rows} rows, not ${ROWS}`);
    results.push({
      encoding,
      'check + audit s': round((t1 - t0) / 1000),
      'stream s': round((t2 - t1) / 1000),
      'total s': round((t2 - t0) / 1000),
      'rows/s': Math.round(ROWS / ((t2 - t0) / 1000)),
      MB: round(bytes / 1e6),
      'peak RSS MB (before)': `${mb(peakRss)} (${mb(before.rss)})`,
      'peak heap MB (before)': `${mb(peakHeap)} (${mb(before.heapUsed)})`,
    });
  }
  console.log(
    `bench:target-export — ${ROWS.toLocaleString()} targets (one in ten handed over), ` +
      `${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  console.table(results);
} finally {
  clearInterval(sampler);
  await close();
}
