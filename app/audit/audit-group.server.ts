import type { Db } from '../../db/connection.ts';
import type { AuditEntry } from './audit.ts';
import { recordAudit } from './audit.service.server.ts';

/**
 * The grouped writer (group commit) for entries that record something that changed nothing —
 * a refused attempt — and so have no transaction of their own to join: refused token refreshes,
 * which a client with a stale or forged token can send by the hundred a second. An entry of a
 * change is never written here: it goes in the change's transaction with recordAudit.
 *
 * Entries that arrive while one group commits wait and go together in the next transaction,
 * one commit for the group instead of one per entry; every caller returns only once its own
 * entry is committed. A group that fails is retried entry by entry, so one bad entry fails
 * only its own request.
 */
export function recordAuditGrouped(db: Db, entry: AuditEntry): Promise<void> {
  let queue = groups.get(db);
  if (!queue) groups.set(db, (queue = { pending: [], running: false }));
  const group = queue;
  return new Promise<void>((resolve, reject) => {
    group.pending.push({ entry, resolve, reject });
    if (!group.running) void drain(db, group);
  });
}

type Pending = { entry: AuditEntry; resolve(): void; reject(error: unknown): void };
type Group = { pending: Pending[]; running: boolean };

const groups = new WeakMap<Db, Group>();
const GROUP_MAX = 256;

async function drain(db: Db, group: Group) {
  group.running = true;
  try {
    while (group.pending.length > 0) {
      const batch = group.pending.splice(0, GROUP_MAX);
      try {
        if (batch.length === 1) await recordAudit(db, batch[0]!.entry);
        // The inserts are sent back to back on the transaction's connection (pipelined). All of
        // them settle before the transaction ends: one that failed early must not let the
        // rollback overtake the others, which would then run outside it, on their own.
        else
          await db.transaction().execute(async (trx) => {
            const settled = await Promise.allSettled(batch.map((p) => recordAudit(trx, p.entry)));
            const failed = settled.find((r) => r.status === 'rejected');
            if (failed) throw failed.reason;
          });
        for (const p of batch) p.resolve();
      } catch {
        for (const p of batch)
          await recordAudit(db, p.entry).then(
            () => p.resolve(),
            (error: unknown) => p.reject(error),
          );
      }
    }
  } finally {
    group.running = false;
  }
}
