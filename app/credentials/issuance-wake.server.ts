/**
 * Wakes credential requests waiting for their issuance (decision 0060 addenda): the issuance
 * worker, when it runs in the same process as the credential endpoint (the default role
 * `all`), announces the requests its batch finished the moment the batch's results are
 * written, so the waiting request reads its row once instead of polling it. One map per
 * process, shared by every waiting request. A web-only process (MADOGUCHI_ROLE=web) hears the
 * same announcements from the worker's process through PostgreSQL (`listenForIssued`: one
 * NOTIFY per finished request, on the connection postgres.js already shares for listening);
 * should one be missed, the waiting request reads its row every 200 ms as before.
 */
import type { Sql } from '../../db/connection.ts';
import { ISSUED_CHANNEL } from './issuance-queue.repository.server.ts';

// On globalThis: the routes run from the Remix build and the worker from the sources, two
// copies of this module in one process that must share one map.
const shared = globalThis as typeof globalThis & {
  [key: symbol]: Map<string, Set<() => void>> | undefined;
};
const KEY = Symbol.for('madoguchi.credentials.issuance-waiting');
const waiting = (shared[KEY] ??= new Map<string, Set<() => void>>());

/**
 * A wait for `requestId` to be announced finished, at most `ms`: `woken` resolves true when it
 * is, false when the time is up or `cancel` is called. Made before the row is read, so an
 * announcement between the read and the wait is not missed.
 */
export function issuanceWaiter(
  requestId: string,
  ms: number,
): { woken: Promise<boolean>; cancel(): void } {
  let waiters = waiting.get(requestId);
  if (!waiters) waiting.set(requestId, (waiters = new Set()));
  const set = waiters;
  let done: (woken: boolean) => void = () => {};
  const woken = new Promise<boolean>((resolve) => {
    done = (value) => {
      clearTimeout(timer);
      set.delete(wake);
      if (set.size === 0 && waiting.get(requestId) === set) waiting.delete(requestId);
      resolve(value);
    };
  });
  const wake = () => done(true);
  const timer = setTimeout(() => done(false), Math.max(0, ms));
  set.add(wake);
  return { woken, cancel: () => done(false) };
}

/** Called after the batch's results committed: wakes whoever waits for these requests. */
export function announceIssued(requestIds: readonly string[]): void {
  for (const id of requestIds) for (const wake of [...(waiting.get(id) ?? [])]) wake();
}

/** In a web-only process: wakes local waiters when another process's worker finishes. */
export async function listenForIssued(sql: Sql): Promise<{ stop(): Promise<void> }> {
  const subscription = await sql.listen(ISSUED_CHANNEL, (id) => announceIssued([id]));
  return { stop: () => subscription.unlisten() };
}
