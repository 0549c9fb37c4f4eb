import { sql, type ExpressionBuilder, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { Device, PushMessage, PushOutcome, PushSender } from './channels/channel.ts';
import { pushDeactivations, pushFailures, pushSends } from './metrics.server.ts';
import { sleep } from './limit.ts';

/**
 * Attempts per device within a chunk for 429/5xx/network failures, and the longest wait between
 * two of them. A Retry-After is honoured exactly; one asking for longer than MAX_WAIT_MS is not
 * retried within the chunk (never earlier than asked) and counts as retry-exhausted. Three waits
 * of at most a minute keep a chunk well inside its idle timeout (fanout.server.ts).
 */
const ATTEMPTS = 4;
export const MAX_WAIT_MS = 60_000;
/**
 * A device read from the database longer ago than this (it waited for a free slot behind slow
 * push services) is checked again before its first send: its link may have ended meanwhile.
 */
export const STALE_AFTER_MS = 1000;

/**
 * A registration is pushed only while it is live and, if an app registered it, while its link
 * stands and its client is enabled: a registration belongs to its link (Hardening #5). Ending a
 * link deactivates its registrations in the same transaction; this also covers one written
 * concurrently with the end of its link. One primary-key probe per registration read.
 */
export const liveLink = (
  eb: ExpressionBuilder<Database & { pr: Database['pushRegistration'] }, 'pr'>,
) =>
  eb.or([
    eb('pr.linkId', 'is', null),
    eb.exists(
      eb
        .selectFrom('appLink as l')
        .innerJoin('appClient as c', 'c.id', 'l.clientId')
        .select(sql`1`.as('one'))
        .whereRef('l.residentId', '=', 'pr.residentId')
        .whereRef('l.id', '=', 'pr.linkId')
        .where('l.endedAt', 'is', null)
        .where('c.disabledAt', 'is', null),
    ),
  ]);

/** Whether a registration may still be pushed now. */
export async function registrationIsLive(
  db: Db | Transaction<Database>,
  id: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('pushRegistration as pr')
    .select('pr.id')
    .where('pr.id', '=', id)
    .where('pr.deactivatedAt', 'is', null)
    .where(liveLink)
    .executeTakeFirst();
  return row !== undefined;
}

/** The clock deliveries wait on (tests pass a controllable one). */
export type DeliveryClock = { now(): number; sleep(ms: number): Promise<unknown> };
const realClock: DeliveryClock = { now: () => Date.now(), sleep };

/** `stopped`: the registration's link ended (or it was deactivated) while it waited for a retry. */
export type DeliveryOutcome = PushOutcome | { kind: 'stopped' };

/**
 * One device, with retries for 429/5xx/network failures. A Retry-After (delay or HTTP date) is
 * waited for exactly — never retried earlier — and one longer than MAX_WAIT_MS ends the tries.
 * Before each retry, and before the first send if it was read over STALE_AFTER_MS ago
 * (`readAt`), the registration is checked again, so a link ended meanwhile gets nothing.
 */
export async function deliver(
  sender: PushSender | undefined,
  device: Device,
  message: PushMessage,
  options: { stillLive(): Promise<boolean>; clock?: DeliveryClock; readAt?: number },
): Promise<DeliveryOutcome> {
  const clock = options.clock ?? realClock;
  if (!sender)
    return { kind: 'permanent', status: 0, detail: `no ${device.channel} provider configured` };
  if (
    options.readAt !== undefined &&
    clock.now() - options.readAt > STALE_AFTER_MS &&
    !(await options.stillLive())
  )
    return { kind: 'stopped' };
  let outcome: PushOutcome = { kind: 'retry', status: null };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      outcome = await sender.send(device, message);
    } catch (error) {
      outcome = { kind: 'retry', status: null, detail: String(error).slice(0, 300) };
    }
    pushSends.inc({ channel: device.channel, outcome: outcome.kind });
    if (outcome.kind !== 'retry' || attempt === ATTEMPTS - 1) break;
    const wait = outcome.retryAfterMs ?? 500 * 2 ** attempt;
    if (wait > MAX_WAIT_MS) break;
    const at = clock.now() + wait;
    while (clock.now() < at) await clock.sleep(at - clock.now());
    if (!(await options.stillLive())) return { kind: 'stopped' };
  }
  if (outcome.kind === 'gone') pushDeactivations.inc({ channel: device.channel });
  if (outcome.kind === 'retry')
    pushFailures.inc({ channel: device.channel, class: 'retry-exhausted' });
  if (outcome.kind === 'permanent')
    pushFailures.inc({ channel: device.channel, class: 'permanent' });
  return outcome;
}
