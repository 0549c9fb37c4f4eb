/**
 * The credential request row as its own queue (migration 0049, decision 0060 addendum "the
 * request row is its own queue"): claims with a lease, the batch's results in one statement,
 * failed attempts, dead requests and their retry. No pg-boss job per request.
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { AuditEntry } from '../audit/audit.ts';
import type { NewIssuedCredential } from './issuance.repository.server.ts';

type Conn = Db | Transaction<Database>;

/** The queue's name where pg-boss queues are listed (operations page, metrics). */
export const ISSUE_QUEUE = 'credentials.issue';

/** The channel the request's insert trigger notifies (migration 0049). */
export const ISSUE_CHANNEL = 'credentials_issue';
/** Finished requests, one notification each (payload: the request id), for web processes. */
export const ISSUED_CHANNEL = 'credentials_issued';

/** A claimed request: `attempts` is the claim's fence (a later claim of the row changes it). */
export type ClaimedRequest = {
  residentId: string;
  id: string;
  linkId: string;
  configurationId: string;
  deviceKeys: unknown;
  attempts: number;
};

const keysFilter = (keys: readonly { residentId: string; requestId: string }[] | undefined) =>
  keys
    ? sql`and (resident_id, id) in (${sql.join(
        keys.map((k) => sql`(${k.residentId}::uuid, ${k.requestId}::uuid)`),
      )})`
    : sql``;

/**
 * Claims up to `limit` claimable requests (pending, not dead, no live lease), oldest first,
 * or only those among `keys`: each gets a lease of `leaseSeconds` and one attempt more. Rows
 * another claimer holds are skipped (`skip locked`), so two workers never claim one row;
 * a row whose worker died is claimable again when its lease ends. Attempts already used up
 * are left for `buryExpired`.
 */
export async function claimRequests(
  db: Db,
  options: {
    limit: number;
    leaseSeconds: number;
    maxAttempts: number;
    keys?: readonly { residentId: string; requestId: string }[];
  },
): Promise<ClaimedRequest[]> {
  if (options.keys?.length === 0) return [];
  const { rows } = await sql<ClaimedRequest>`
    update credential_issuance_request r
    set claimed_until = now() + make_interval(secs => ${options.leaseSeconds}),
        attempts = r.attempts + 1
    where (r.resident_id, r.id) in (
      select resident_id, id from credential_issuance_request
      where state = 'pending' and dead_at is null
        and (claimed_until is null or claimed_until <= now())
        and attempts < ${options.maxAttempts} ${keysFilter(options.keys)}
      order by created_at
      limit ${options.limit}
      for update skip locked)
    returning r.resident_id, r.id, r.link_id, r.configuration_id, r.device_keys, r.attempts`.execute(
    db,
  );
  return rows;
}

/**
 * The batch's results in one statement: the requests still held by this claim (pending, same
 * attempts) are marked issued or failed, and only for those the credentials and the
 * `credential.issue` audit entries are inserted. A request another worker claimed since (this
 * worker's lease ran out) is left alone, so its credentials are written once. Each finished
 * request is also announced on ISSUED_CHANNEL (at commit), which wakes its waiting credential
 * request in a web process of its own (MADOGUCHI_ROLE=web).
 *
 * An issued request with a `collector` (its credential request waits in this process, held for
 * handing over) is collected here too, as `collectRequest` would: marked collected, its
 * credentials inserted collected without their IssuerSigned bytes (the worker hands those
 * over in memory; they are never stored), and a `credential.collect` audit entry for the
 * collector. The requests this statement finished, and whether it collected them.
 */
export async function finishClaimed(
  db: Db,
  batch: {
    finished: readonly {
      residentId: string;
      id: string;
      attempts: number;
      state: 'issued' | 'failed';
      failure: string | null;
      collector?: { clientId: string; ip: string | null } | null;
    }[];
    credentials: readonly NewIssuedCredential[];
    audits: readonly AuditEntry[];
  },
  now: Date,
): Promise<{ id: string; state: 'issued' | 'failed'; collected: boolean }[]> {
  if (batch.finished.length === 0) return [];
  const finished = batch.finished.map(({ collector, ...f }) => ({
    ...f,
    collectorClient: f.state === 'issued' ? (collector?.clientId ?? null) : null,
    collectorIp: f.state === 'issued' ? (collector?.ip ?? null) : null,
  }));
  const credentials = batch.credentials.map((c) => ({
    ...c,
    issuerSigned: c.issuerSigned.toString('base64'),
  }));
  const { rows } = await sql<{
    id: string;
    state: 'issued' | 'failed';
    collected: boolean;
    notified: boolean;
  }>`
    with v as (
      select * from jsonb_to_recordset(${JSON.stringify(finished)}::text::jsonb)
        as v ("residentId" uuid, id uuid, attempts int, state text, failure text,
              "collectorClient" text, "collectorIp" inet)
    ), finished as (
      update credential_issuance_request r
      set state = v.state, failure = v.failure, finished_at = ${now}, claimed_until = null,
          last_error = null, dead_at = null,
          collected_at = case when v."collectorClient" is not null then ${now}::timestamptz end
      from v
      where r.resident_id = v."residentId" and r.id = v.id and r.attempts = v.attempts
        and r.state = 'pending'
      returning r.resident_id, r.id, r.state, v."collectorClient", v."collectorIp"
    ), credentials as (
      insert into issued_credential (resident_id, request_id, doctype, document_number,
        device_key_thumbprint, status_list_id, status_index, signer_id, signed_at, valid_from,
        valid_until, issuer_signed, collected_at)
      select c."residentId", c."requestId", c.doctype, c."documentNumber",
             c."deviceKeyThumbprint", c."statusListId", c."statusIndex", c."signerId",
             c."signedAt", c."validFrom", c."validUntil",
             case when f."collectorClient" is null then decode(c."issuerSigned", 'base64') end,
             case when f."collectorClient" is not null then ${now}::timestamptz end
      from jsonb_to_recordset(${JSON.stringify(credentials)}::text::jsonb) as c (
        "residentId" uuid, "requestId" uuid, doctype text, "documentNumber" text,
        "deviceKeyThumbprint" text, "statusListId" int, "statusIndex" int, "signerId" text,
        "signedAt" timestamptz, "validFrom" timestamptz, "validUntil" timestamptz,
        "issuerSigned" text)
      join finished f on f.resident_id = c."residentId" and f.id = c."requestId"
      returning id, request_id, status_index
    ), audited as (
      -- One insert, issues before collections: the audit log keeps the order things happened.
      insert into audit_log (actor_type, actor_id, on_behalf_of_resident_id, action, target_type,
                             target_id, outcome, ip, details)
      select "actorType", "actorId", "onBehalfOfResidentId", action, "targetType", "targetId",
             outcome, ip, details
      from (
        select 1 as step, a."actorType", a."actorId", a."onBehalfOfResidentId", a.action,
               a."targetType", a."targetId", a.outcome, null::inet as ip,
               coalesce(a.details, '{}'::jsonb) as details
        from jsonb_to_recordset(${JSON.stringify(batch.audits)}::text::jsonb) as a (
          "actorType" text, "actorId" text, "onBehalfOfResidentId" uuid, action text,
          "targetType" text, "targetId" text, outcome text, details jsonb)
        join finished f on f.id::text = a."targetId"
        union all
        select 2, 'app', f."collectorClient", f.resident_id, 'credential.collect',
               'credential_issuance_request', f.id::text, 'success', f."collectorIp",
               jsonb_build_object('credentials', coalesce(
                 (select jsonb_agg(c.id order by c.status_index) from credentials c
                  where c.request_id = f.id), '[]'::jsonb))
        from finished f where f."collectorClient" is not null
      ) entries
      order by step
    )
    select id, state, "collectorClient" is not null as collected,
           pg_notify(${ISSUED_CHANNEL}, id::text) is null as notified
    from finished`.execute(db);
  return rows.map(({ id, state, collected }) => ({ id, state, collected }));
}

/**
 * A failed attempt of claimed requests (still held by this claim): the error is kept, and
 * the request is tried again after `retryDelaySeconds · 2^(attempts − 1)`, or is dead when it
 * had its last attempt. The ids of the requests that died.
 */
export async function failClaimed(
  db: Db,
  claimed: readonly { residentId: string; id: string; attempts: number }[],
  error: string,
  policy: { maxAttempts: number; retryDelaySeconds: number },
): Promise<string[]> {
  if (claimed.length === 0) return [];
  const { rows } = await sql<{ id: string }>`
    update credential_issuance_request r
    set last_error = left(${error}, 1000),
        claimed_until = now() + make_interval(
          secs => ${policy.retryDelaySeconds} * power(2, r.attempts - 1)),
        dead_at = case when r.attempts >= ${policy.maxAttempts} then now() end
    from (values ${sql.join(
      claimed.map((c) => sql`(${c.residentId}::uuid, ${c.id}::uuid, ${c.attempts}::int)`),
    )}) as v (resident_id, id, attempts)
    where r.resident_id = v.resident_id and r.id = v.id and r.attempts = v.attempts
      and r.state = 'pending'
    returning r.id, r.dead_at is not null as dead`.execute(db);
  return rows.filter((r) => (r as { dead?: boolean }).dead).map((r) => r.id);
}

/**
 * Requests whose last attempt's worker died (the lease ran out with no attempt left) are
 * dead: nothing would claim them again. Their ids.
 */
export async function buryExpired(db: Db, maxAttempts: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    update credential_issuance_request
    set dead_at = now(), last_error = coalesce(last_error, 'the worker stopped during the last attempt')
    where state = 'pending' and dead_at is null and attempts >= ${maxAttempts}
      and claimed_until <= now()
    returning id`.execute(db);
  return rows.map((r) => r.id);
}

/** Dead requests (oldest first), for the operations page. */
export async function findDeadRequests(db: Conn, limit: number) {
  const { rows } = await sql<{
    residentId: string;
    id: string;
    deadAt: Date;
    attempts: number;
    lastError: string | null;
  }>`
    select resident_id, id, dead_at, attempts, last_error from credential_issuance_request
    where dead_at is not null order by dead_at, id limit ${limit}`.execute(db);
  return rows;
}

/**
 * An operator's retry: the dead request is pending again with fresh attempts, and the
 * workers are woken (the NOTIFY is delivered when the caller's transaction commits). Null when
 * it is not dead any more (a second submit of the same retry waits for the first's row lock,
 * then finds it alive).
 */
export async function reviveRequest(
  db: Conn,
  id: string,
): Promise<{ residentId: string; id: string; lastError: string | null } | null> {
  const { rows } = await sql<{ residentId: string; id: string; lastError: string | null }>`
    with revived as (
      update credential_issuance_request
      set dead_at = null, attempts = 0, claimed_until = null
      where id = ${id}::uuid and dead_at is not null
      returning resident_id, id, last_error
    )
    select resident_id, id, last_error, pg_notify(${ISSUE_CHANNEL}, '') is null as notified
    from revived`.execute(db);
  const row = rows[0];
  return row ? { residentId: row.residentId, id: row.id, lastError: row.lastError } : null;
}

/**
 * The request queue's counts as the operations page shows pg-boss's: claimable now (queued),
 * held by a worker's lease (active), waiting for a retry after a failed attempt (deferred; a
 * retry in progress counts here too), dead.
 */
export async function countIssuanceQueue(db: Conn) {
  const { rows } = await sql<{ queued: number; active: number; deferred: number; dead: number }>`
    select count(*) filter (where dead_at is null and (claimed_until is null or claimed_until <= now()))::int as queued,
           count(*) filter (where dead_at is null and claimed_until > now() and last_error is null)::int as active,
           count(*) filter (where dead_at is null and claimed_until > now() and last_error is not null)::int as deferred,
           count(*) filter (where dead_at is not null)::int as dead
    from credential_issuance_request where state = 'pending'`.execute(db);
  return rows[0]!;
}
