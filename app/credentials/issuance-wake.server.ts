/**
 * Wakes credential requests waiting for their issuance (decision 0060 addenda): the issuance
 * worker, when it runs in the same process as the credential endpoint (the default role
 * `all`), announces the requests its batch finished the moment the batch's results are
 * written, so the waiting request reads its row once instead of polling it. One map per
 * process, shared by every waiting request. A web-only process (MADOGUCHI_ROLE=web) hears the
 * same announcements from the worker's process through PostgreSQL (`listenForIssued`: one
 * NOTIFY per finished request, on the connection postgres.js already shares for listening);
 * should one be missed, the waiting request reads its row every 200 ms as before.
 *
 * Handing over (addendum "the worker hands the credentials over"): a waiter that says who
 * collects (`collector`) can be held by the worker of its own process before the batch's
 * results are written (`holdForCollection`). The results statement then records the
 * collection itself (collected, audited, the IssuerSigned bytes never stored) and the worker
 * hands the credentials to the waiter (`handOver`), so the endpoint answers without another
 * statement. A held waiter does not time out until it is handed its credentials or let go
 * (`letGo`, when the statement fails or did not finish the request); then it is woken as
 * usual and the endpoint collects by itself.
 */
import type { Sql } from '../../db/connection.ts';
import { ISSUED_CHANNEL } from './issuance-queue.repository.server.ts';

/** Who collects a request's credentials: the app and the caller's address, for the audit. */
export type Collector = { clientId: string; ip: string | null };
/** The credentials handed over: IssuerSigned bytes, in status index order. */
export type HandOver = { credentials: Buffer[] };

type Entry = {
  collector: Collector | null;
  held: boolean;
  expired: boolean;
  finish(handOver: HandOver | null, woken: boolean): void;
};

// On globalThis: the routes run from the Remix build and the worker from the sources, two
// copies of this module in one process that must share one map.
const shared = globalThis as typeof globalThis & {
  [key: symbol]: Map<string, Set<Entry>> | undefined;
};
const KEY = Symbol.for('madoguchi.credentials.issuance-waiting.v2');
const waiting = (shared[KEY] ??= new Map<string, Set<Entry>>());

/**
 * A wait for `requestId` to be announced finished, at most `ms` (longer only while the worker
 * holds it for handing over): `woken` resolves true when it is, false when the time is up or
 * `cancel` is called; `handedOver()` then gives the credentials when the worker handed them
 * over. Made before the row is read, so an announcement between the read and the wait is not
 * missed.
 */
export function issuanceWaiter(
  requestId: string,
  ms: number,
  collector: Collector | null = null,
): { woken: Promise<boolean>; handedOver(): HandOver | null; cancel(): void } {
  let entries = waiting.get(requestId);
  if (!entries) waiting.set(requestId, (entries = new Set()));
  const set = entries;
  let received: HandOver | null = null;
  let settled = false;
  let resolveWoken: (woken: boolean) => void = () => {};
  const woken = new Promise<boolean>((resolve) => (resolveWoken = resolve));
  const entry: Entry = {
    collector,
    held: false,
    expired: false,
    finish(handOver, wasWoken) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      set.delete(entry);
      if (set.size === 0 && waiting.get(requestId) === set) waiting.delete(requestId);
      received = handOver;
      resolveWoken(wasWoken);
    },
  };
  const timer = setTimeout(
    () => (entry.held ? (entry.expired = true) : entry.finish(null, false)),
    Math.max(0, ms),
  );
  set.add(entry);
  return {
    woken,
    handedOver: () => received,
    // A held waiter is the worker's to finish: its credentials are being recorded as collected.
    cancel: () => (entry.held ? (entry.expired = true) : entry.finish(null, false)),
  };
}

/** Called after the batch's results committed: wakes whoever waits for these requests. */
export function announceIssued(requestIds: readonly string[]): void {
  for (const id of requestIds)
    for (const entry of [...(waiting.get(id) ?? [])]) if (!entry.held) entry.finish(null, true);
}

/**
 * The worker, before writing its batch's results: holds one waiter with a collector for each
 * of these requests, if there is one. The collectors of the requests held.
 */
export function holdForCollection(requestIds: readonly string[]): Map<string, Collector> {
  const held = new Map<string, Collector>();
  for (const id of requestIds) {
    for (const entry of waiting.get(id) ?? []) {
      if (!entry.collector || entry.held) continue;
      entry.held = true;
      held.set(id, entry.collector);
      break;
    }
  }
  return held;
}

/** The results committed with the request collected: its held waiter gets the credentials. */
export function handOver(requestId: string, credentials: HandOver): void {
  for (const entry of [...(waiting.get(requestId) ?? [])])
    if (entry.held) entry.finish(credentials, true);
  announceIssued([requestId]);
}

/**
 * Held waiters whose requests were not collected by the results (the statement failed, or the
 * request was not finished by this claim): woken, or let time out, as if never held.
 */
export function letGo(requestIds: Iterable<string>, { finished }: { finished: boolean }): void {
  for (const id of requestIds)
    for (const entry of [...(waiting.get(id) ?? [])]) {
      if (!entry.held) continue;
      entry.held = false;
      if (finished) entry.finish(null, true);
      else if (entry.expired) entry.finish(null, false);
    }
}

/** In a web-only process: wakes local waiters when another process's worker finishes. */
export async function listenForIssued(sql: Sql): Promise<{ stop(): Promise<void> }> {
  const subscription = await sql.listen(ISSUED_CHANNEL, (id) => announceIssued([id]));
  return { stop: () => subscription.unlisten() };
}
