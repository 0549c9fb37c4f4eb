/**
 * The audit log: who did what, for whom, with what outcome.
 *
 * Retention: audit rows are kept for at least five years. Nothing in the application
 * deletes or changes them (the database refuses UPDATE, DELETE and TRUNCATE); removing rows
 * older than the retention period is a deliberate operation outside the app, and it breaks
 * the chain visibly from that point.
 */
import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import {
  ACTOR_TYPES,
  AUDIT_ACTION,
  AUDIT_OUTCOMES,
  type AuditActor,
  type AuditEntry,
  type AuditFilter,
  type AuditRecord,
} from './audit.ts';
import {
  checkChainBatch,
  findAuditRecords,
  findChainHead,
  findUnsealed,
  insertAuditEntry,
  sealAuditRows,
  type AuditLogRow,
  type ChainBatch,
} from './audit.repository.server.ts';

const AuditEntrySchema = z.strictObject({
  actorType: z.enum(ACTOR_TYPES),
  actorId: z.string().min(1).max(200).nullish(),
  onBehalfOfResidentId: z.uuid().nullish(),
  action: z.string().max(100).regex(AUDIT_ACTION),
  targetType: z.string().min(1).max(100).nullish(),
  targetId: z.string().min(1).max(200).nullish(),
  outcome: z.enum(AUDIT_OUTCOMES),
  ip: z.union([z.ipv4(), z.ipv6()]).nullish(),
  details: z.record(z.string(), z.unknown()).optional(),
}) satisfies z.ZodType<AuditEntry>;

/**
 * Appends one entry to the log. Pass the caller's transaction to audit a change together
 * with the change itself: the entry commits or rolls back with it. It takes no shared lock;
 * it joins the hash chain shortly after it commits (sealAudit, run by every process a few
 * times a second and before the log is read), so audited transactions never wait for each
 * other (docs/decisions/0032).
 */
export async function recordAudit(
  db: Db | Transaction<Database>,
  entry: AuditEntry,
): Promise<{ id: string; occurredAt: Date }> {
  return insertAuditEntry(db, AuditEntrySchema.parse(entry));
}

/** An entry checked as recordAudit checks it, for a statement that writes it itself (0071). */
export const checkedAuditEntry = (entry: AuditEntry): AuditEntry => AuditEntrySchema.parse(entry);

const SEAL_BATCH = 1000;

/**
 * Chains every committed unsealed entry, a batch per transaction. Returns how many it sealed;
 * 0 also when another process is sealing at this moment (that one seals them).
 */
export async function sealAudit(db: Db): Promise<{ sealed: number }> {
  let sealed = 0;
  for (;;) {
    const n = await sealAuditRows(db, SEAL_BATCH);
    sealed += n;
    if (n < SEAL_BATCH) return { sealed };
  }
}

/** Entries waiting for their seal, and the oldest one's time (an alert if it grows old). */
export function unsealedAudit(db: Db | Transaction<Database>) {
  return findUnsealed(db);
}

const MAX_PAGE = 500;

/**
 * Newest first; pass the last record's seq as `before` for the next page. Entries committed a
 * moment ago are sealed first, so a reader always sees what was just done.
 */
export async function listAudit(db: Db, filter: AuditFilter): Promise<AuditRecord[]> {
  await sealAudit(db);
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), MAX_PAGE);
  const rows = await findAuditRecords(db, { ...filter, limit });
  return rows.map(toAuditRecord);
}

/**
 * A page of the log as staff see it on the audit page; reading the log is itself recorded
 * ('audit.view', with the search in `details`), once per page shown.
 */
export async function viewAudit(
  db: Db,
  actor: AuditActor,
  filter: AuditFilter,
  details: Record<string, unknown>,
): Promise<AuditRecord[]> {
  const records = await listAudit(db, filter);
  await recordAudit(db, { ...actor, action: 'audit.view', outcome: 'success', details });
  return records;
}

/**
 * An export of the log ('audit.export', recorded when it starts): the records matching
 * `filter`, newest first, in batches of `batch` up to `max` rows, read as the file streams.
 */
export async function exportAudit(
  db: Db,
  actor: AuditActor,
  filter: AuditFilter,
  details: Record<string, unknown>,
  { batch = MAX_PAGE, max }: { batch?: number; max: number },
): Promise<AsyncGenerator<AuditRecord[]>> {
  await recordAudit(db, { ...actor, action: 'audit.export', outcome: 'success', details });
  return (async function* () {
    let before: { seq: number } | undefined;
    let written = 0;
    for (;;) {
      const page = await listAudit(db, { ...filter, before, limit: batch });
      const rows = page.slice(0, max - written);
      written += rows.length;
      yield rows;
      if (page.length < batch || written >= max) return;
      before = { seq: page.at(-1)!.seq };
    }
  })();
}

type AuditChainProblem = 'altered' | 'removed' | 'head_mismatch';

export type AuditChainCheck =
  | { ok: true; checked: number }
  | {
      ok: false;
      /** Rows found intact before the problem. */
      checked: number;
      firstBadSeq: number;
      /** Null when the problem is a missing row or the head itself. */
      firstBadId: string | null;
      reason: AuditChainProblem;
      /** One sentence for people. */
      detail: string;
    };

const GENESIS = Buffer.from([0]);

/**
 * Recomputes every row's hash in the database, batch by batch in seq order, and compares
 * the chain's end with the head. Run by `npm run audit:verify`.
 */
export async function verifyAuditChain(
  db: Db | Transaction<Database>,
  { batchSize = 10_000 }: { batchSize?: number } = {},
): Promise<AuditChainCheck> {
  if (db.isTransaction) return walkChain(db as Transaction<Database>, batchSize);
  // One snapshot for the whole walk: writers keep appending while we read.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((trx) => walkChain(trx, batchSize));
}

async function walkChain(trx: Transaction<Database>, batchSize: number): Promise<AuditChainCheck> {
  let end: { seq: number; id: string | null; hash: Buffer } = { seq: 0, id: null, hash: GENESIS };
  let checked = 0;
  for (;;) {
    const batch = await checkChainBatch(trx, end, batchSize);
    if (batch.bad) return describeBreak(checked, end.seq, batch.bad);
    checked += batch.rows;
    if (batch.last) end = { seq: Number(batch.last.seq), id: batch.last.id, hash: batch.last.hash };
    if (batch.rows < batchSize) break;
  }

  const head = await findChainHead(trx);
  const headSeq = Number(head.lastSeq);
  if (headSeq === end.seq && head.lastHash.equals(end.hash)) return { ok: true, checked };
  const base = { ok: false, checked, reason: 'head_mismatch' } as const;
  if (headSeq > end.seq) {
    return {
      ...base,
      firstBadSeq: end.seq + 1,
      firstBadId: null,
      detail: `the chain head records ${headSeq} rows but the log ends at seq ${end.seq}: rows were removed at the end`,
    };
  }
  return {
    ...base,
    firstBadSeq: headSeq === end.seq ? end.seq : headSeq + 1,
    firstBadId: headSeq === end.seq ? end.id : null,
    detail: `the chain head (seq ${headSeq}) does not match the last row (seq ${end.seq}): the head was changed`,
  };
}

function describeBreak(
  checkedBefore: number,
  batchStartSeq: number,
  bad: NonNullable<ChainBatch['bad']>,
): AuditChainCheck {
  const seq = Number(bad.seq);
  const checked = checkedBefore + bad.intactBefore;
  if (bad.problem === 'altered') {
    return {
      ok: false,
      checked,
      firstBadSeq: seq,
      firstBadId: bad.id,
      reason: 'altered',
      detail: `row ${seq} does not match its hash: its content was changed`,
    };
  }
  if (bad.problem === 'gap') {
    // Every row before the bad one in this batch is intact, so none of them skipped a seq.
    const missing = batchStartSeq + bad.intactBefore + 1;
    return {
      ok: false,
      checked,
      firstBadSeq: missing,
      firstBadId: null,
      reason: 'removed',
      detail:
        missing === seq - 1
          ? `row ${missing} is missing: it was removed`
          : `rows ${missing} to ${seq - 1} are missing: they were removed`,
    };
  }
  return {
    ok: false,
    checked,
    firstBadSeq: seq,
    firstBadId: bad.id,
    reason: 'removed',
    detail: `row ${seq} does not link to the row before it: a row was removed or replaced`,
  };
}

/** A sealed row (listAudit reads only those). */
function toAuditRecord(row: AuditLogRow): AuditRecord {
  if (row.seq === null || !row.prevHash || !row.hash)
    throw new Error(`audit row ${row.id} is not sealed`);
  return {
    ...row,
    // The chain is far from 2^53 rows; a number is what callers compare and page with.
    seq: Number(row.seq),
    prevHash: row.prevHash.toString('hex'),
    hash: row.hash.toString('hex'),
  };
}
