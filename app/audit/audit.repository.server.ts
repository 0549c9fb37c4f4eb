import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { AuditChainHeadTable, AuditLogTable, Database } from '../../db/schema.ts';
import type { AuditEntry, AuditFilter } from './audit.ts';

export type AuditLogRow = Selectable<AuditLogTable>;
type AuditChainHeadRow = Selectable<AuditChainHeadTable>;

/** Unsealed: seq, prev_hash and hash are filled in later by audit_seal(). */
export async function insertAuditEntry(
  db: Db | Transaction<Database>,
  entry: AuditEntry,
): Promise<{ id: string; occurredAt: Date }> {
  return db
    .insertInto('auditLog')
    .values(auditValues(entry))
    .returning(['id', 'occurredAt'])
    .executeTakeFirstOrThrow();
}

const auditValues = (entry: AuditEntry) => ({
  actorType: entry.actorType,
  actorId: entry.actorId ?? null,
  onBehalfOfResidentId: entry.onBehalfOfResidentId ?? null,
  action: entry.action,
  targetType: entry.targetType ?? null,
  targetId: entry.targetId ?? null,
  outcome: entry.outcome,
  ip: entry.ip ?? null,
  // Sent as text and cast: postgres.js would JSON-encode a string parameter it sees typed
  // as jsonb a second time, storing a JSON string instead of an object.
  details: sql<string>`${JSON.stringify(entry.details ?? {})}::text::jsonb`,
});

/**
 * Chains up to `max` committed unsealed rows (in their own short transaction when `db` is not
 * one); 0 when there are none or another process is sealing right now.
 */
export async function sealAuditRows(db: Db | Transaction<Database>, max: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`select audit_seal(${max}::int) as n`.execute(db);
  return rows[0]?.n ?? 0;
}

/** How many rows wait for their seal, and since when. */
export async function findUnsealed(
  db: Db | Transaction<Database>,
): Promise<{ count: number; oldest: Date | null }> {
  const { rows } = await sql<{ count: number; oldest: Date | null }>`
    select count(*)::int as count, min(occurred_at) as oldest
    from audit_log where seq is null`.execute(db);
  return rows[0] ?? { count: 0, oldest: null };
}

/** Newest first by chain position. */
export async function findAuditRecords(
  db: Db | Transaction<Database>,
  filter: AuditFilter & { limit: number },
): Promise<AuditLogRow[]> {
  let query = db
    .selectFrom('auditLog')
    .selectAll()
    .where('seq', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(filter.limit);
  if (filter.actorType) query = query.where('actorType', '=', filter.actorType);
  if (filter.actorId) query = query.where('actorId', '=', filter.actorId);
  if (filter.action) query = query.where('action', 'like', likePrefix(filter.action));
  if (filter.from) query = query.where('occurredAt', '>=', filter.from);
  if (filter.to) query = query.where('occurredAt', '<', filter.to);
  if (filter.onBehalfOfResidentId) {
    query = query.where('onBehalfOfResidentId', '=', filter.onBehalfOfResidentId);
  }
  if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
  if (filter.before) query = query.where('seq', '<', String(filter.before.seq));
  return query.execute();
}

// '_' is a LIKE wildcard and every action contains one sooner or later ('auth.sign_in').
function likePrefix(prefix: string): string {
  return prefix.replace(/[\\%_]/g, '\\$&') + '%';
}

export async function findChainHead(db: Db | Transaction<Database>): Promise<AuditChainHeadRow> {
  return db.selectFrom('auditChainHead').selectAll().executeTakeFirstOrThrow();
}

type ChainProblem = 'altered' | 'gap' | 'unlinked';

export type ChainBatch = {
  /** Rows in the batch (0 at the end of the log). */
  rows: number;
  last: { seq: string; id: string; hash: Buffer } | null;
  /** The first row in the batch that breaks the chain, and how many intact rows precede it. */
  bad: { seq: string; id: string; problem: ChainProblem; intactBefore: number } | null;
};

/**
 * Checks up to `size` rows after `after` in the database, recomputing each digest with the
 * trigger's own function. Run every batch of one walk in one snapshot, so rows committed
 * meanwhile cannot make the chain head look wrong.
 */
export async function checkChainBatch(
  trx: Transaction<Database>,
  after: { seq: number; hash: Buffer },
  size: number,
): Promise<ChainBatch> {
  const { rows } = await sql<{
    rows: number;
    lastSeq: string | null;
    lastId: string | null;
    lastHash: Buffer | null;
    badSeq: string | null;
    badId: string | null;
    badProblem: ChainProblem | null;
    badN: number | null;
  }>`
    with batch as (
      select a.seq, a.id, a.prev_hash, a.hash,
        audit_row_digest(a.prev_hash, a) as digest,
        coalesce(lag(a.seq) over w, ${after.seq}::bigint) as prior_seq,
        coalesce(lag(a.hash) over w, ${after.hash}::bytea) as prior_hash,
        row_number() over w as n
      from audit_log a
      where a.seq > ${after.seq}::bigint
      window w as (order by a.seq)
      order by a.seq
      limit ${size}
    ), judged as (
      select seq, id, hash, n,
        case
          when hash <> digest then 'altered'
          when seq <> prior_seq + 1 then 'gap'
          when prev_hash <> prior_hash then 'unlinked'
        end as problem
      from batch
    )
    select (select count(*) from judged)::int as rows,
      last.seq::text as last_seq, last.id::text as last_id, last.hash as last_hash,
      bad.seq::text as bad_seq, bad.id::text as bad_id, bad.problem as bad_problem,
      bad.n::int as bad_n
    from (select) as one
    left join lateral (select * from judged order by seq desc limit 1) as last on true
    left join lateral (
      select * from judged where problem is not null order by seq limit 1
    ) as bad on true`.execute(trx);
  const r = rows[0]!;
  return {
    rows: r.rows,
    last: r.lastSeq ? { seq: r.lastSeq, id: r.lastId!, hash: r.lastHash! } : null,
    bad: r.badSeq
      ? { seq: r.badSeq, id: r.badId!, problem: r.badProblem!, intactBefore: r.badN! - 1 }
      : null,
  };
}
