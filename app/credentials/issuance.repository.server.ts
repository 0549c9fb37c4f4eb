/**
 * Every query of mdoc issuance (migration 0037): c_nonces, status list indices, issuance
 * requests and issued credentials. The first argument is the database or the caller's
 * transaction.
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { CredentialNotificationEvent, Database } from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

// ---- c_nonces -----------------------------------------------------------------------------

export async function insertNonce(db: Conn, nonceHash: Buffer, expiresAt: Date): Promise<void> {
  await db.insertInto('credentialNonce').values({ nonceHash, expiresAt }).execute();
}

/** Forgets nonces that expired a day ago (they can never be used). */
export async function deleteExpiredNonces(db: Conn, before: Date): Promise<void> {
  await db.deleteFrom('credentialNonce').where('expiresAt', '<', before).execute();
}

// ---- status lists ---------------------------------------------------------------------------

/**
 * `count` consecutive indices of one status list, each handed out once: the newest list with
 * room (its row locked while its next_index moves: one statement, so no transaction is
 * needed), or a new list.
 */
export async function allocateStatusIndices(
  trx: Conn,
  count: number,
  listSize: number,
): Promise<{ listId: number; first: number }> {
  const moved = await sql<{ id: number; first: number }>`
    update credential_status_list set next_index = next_index + ${count}
    where id = (select id from credential_status_list where next_index + ${count} <= size
                order by id desc limit 1 for update)
    returning id, next_index - ${count} as first`.execute(trx);
  if (moved.rows[0]) return { listId: moved.rows[0].id, first: moved.rows[0].first };
  const created = await trx
    .insertInto('credentialStatusList')
    .values({ size: listSize, nextIndex: count })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { listId: created.id, first: 0 };
}

/**
 * How many proof keys (one status index each) the still pending requests among `keys` have,
 * read without a lock (the job's transaction checks each request again).
 */
export async function pendingProofCounts(
  db: Conn,
  keys: readonly { residentId: string; requestId: string }[],
): Promise<{ requestId: string; count: number }[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('credentialIssuanceRequest')
    .select(['id', sql<number>`jsonb_array_length(device_keys)`.as('count')])
    .where('state', '=', 'pending')
    .where((eb) =>
      eb.or(
        keys.map((k) => eb.and([eb('residentId', '=', k.residentId), eb('id', '=', k.requestId)])),
      ),
    )
    .execute();
  const count = new Map(rows.map((r) => [r.id, r.count]));
  return keys.flatMap((k) =>
    count.has(k.requestId) ? [{ requestId: k.requestId, count: count.get(k.requestId)! }] : [],
  );
}

// ---- requests -------------------------------------------------------------------------------

export type NewIssuanceRequest = {
  residentId: string;
  linkId: string;
  clientId: string;
  configurationId: string;
  transactionHash: Buffer;
  proofsHash: Buffer;
  deviceKeys: object[];
  notificationId: string;
};

/**
 * Stores the request and its audit entry (credential.request) in one statement; the new
 * request's id, or null (and no entry) when the same proofs were already submitted.
 */
export async function insertIssuanceRequest(
  trx: Transaction<Database>,
  request: NewIssuanceRequest,
  audit: { ip: string | null; details: Record<string, unknown> },
): Promise<string | null> {
  const { rows } = await sql<{ id: string }>`
    with request as (
      insert into credential_issuance_request (resident_id, link_id, client_id, configuration_id,
        transaction_hash, proofs_hash, device_keys, notification_id)
      values (${request.residentId}::uuid, ${request.linkId}::uuid, ${request.clientId},
        ${request.configurationId}, ${request.transactionHash}, ${request.proofsHash},
        ${JSON.stringify(request.deviceKeys)}::text::jsonb, ${request.notificationId})
      on conflict (resident_id, proofs_hash) do nothing
      returning id
    )
    insert into audit_log (actor_type, actor_id, on_behalf_of_resident_id, action, target_type,
                           target_id, outcome, ip, details)
    select 'app', ${request.clientId}::text, ${request.residentId}::uuid, 'credential.request',
           'credential_issuance_request', id::text, 'success', ${audit.ip}::inet,
           ${JSON.stringify(audit.details)}::text::jsonb
    from request
    returning target_id as id`.execute(trx);
  return rows[0]?.id ?? null;
}

const requestColumns = [
  'residentId',
  'id',
  'linkId',
  'clientId',
  'configurationId',
  'state',
  'failure',
  'deviceKeys',
  'notificationId',
  'notificationEvent',
  'collectedAt',
] as const;

const requests = (db: Conn) => db.selectFrom('credentialIssuanceRequest').select(requestColumns);

export function findRequest(db: Conn, residentId: string, requestId: string) {
  return requests(db)
    .where('residentId', '=', residentId)
    .where('id', '=', requestId)
    .executeTakeFirst();
}

/**
 * The batch's request rows, locked in id order (two batches that share requests never
 * deadlock); a second worker waits, then sees their states.
 */
export function lockRequests(
  trx: Transaction<Database>,
  keys: readonly { residentId: string; requestId: string }[],
) {
  if (keys.length === 0) return Promise.resolve([]);
  return requests(trx)
    .where((eb) =>
      eb.or(
        keys.map((k) => eb.and([eb('residentId', '=', k.residentId), eb('id', '=', k.requestId)])),
      ),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
}

export function findRequestByTransaction(db: Conn, transactionHash: Buffer) {
  return requests(db).where('transactionHash', '=', transactionHash).executeTakeFirst();
}

export function findRequestByNotification(db: Conn, notificationId: string) {
  return requests(db).where('notificationId', '=', notificationId).executeTakeFirst();
}

/** Several requests finished in one statement (the issuance job's batch). */
export async function finishRequests(
  trx: Transaction<Database>,
  rows: readonly {
    residentId: string;
    id: string;
    state: 'issued' | 'failed';
    failure: string | null;
  }[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(
    (r) => sql`(${r.residentId}::uuid, ${r.id}::uuid, ${r.state}, ${r.failure}::text)`,
  );
  await sql`
    update credential_issuance_request r
    set state = v.state, failure = v.failure, finished_at = ${now}
    from (values ${sql.join(values)}) as v (resident_id, id, state, failure)
    where r.resident_id = v.resident_id and r.id = v.id`.execute(trx);
}

/**
 * Hands the request's credentials out once, in one statement (no transaction, one round
 * trip; decision 0060 addendum). The request is marked collected only if it is issued and not
 * collected: a concurrent collection that commits first turns that check false (the update
 * waits for its row lock, then checks the row again), and a request still pending in this
 * statement's snapshot is not touched even if the job commits meanwhile, so the credentials,
 * read from the same snapshot, are always there. They are marked collected (IssuerSigned bytes
 * dropped) and answered as they were before, in the order of its proofs (status index order),
 * and the collection is audited, in the same statement. One row per credential, or one row
 * without a credential that tells the request's state (`seen`: as the snapshot saw it); none
 * when there is no such request.
 */
export async function collectRequest(
  db: Conn,
  key: { residentId: string; id: string },
  actor: { clientId: string; ip: string | null },
  now: Date,
) {
  const { rows } = await sql<{
    state: 'pending' | 'issued' | 'failed';
    failure: string | null;
    notificationId: string;
    collected: boolean;
    id: string | null;
    issuerSigned: Buffer | null;
  }>`
    with seen as materialized (
      select id, state, failure, notification_id, collected_at from credential_issuance_request
      where resident_id = ${key.residentId} and id = ${key.id}
    ), won as (
      update credential_issuance_request r set collected_at = ${now}
      from seen
      where r.resident_id = ${key.residentId} and r.id = seen.id
        and seen.state = 'issued' and seen.collected_at is null and r.collected_at is null
      returning r.id
    ), credentials as (
      select c.id, c.issuer_signed, c.status_index from issued_credential c
      where c.resident_id = ${key.residentId} and c.request_id in (select id from won)
    ), marked as (
      update issued_credential c set collected_at = ${now}, issuer_signed = null
      from won where c.resident_id = ${key.residentId} and c.request_id = won.id
    ), audited as (
      insert into audit_log (actor_type, actor_id, on_behalf_of_resident_id, action, target_type,
                             target_id, outcome, ip, details)
      select 'app', ${actor.clientId}::text, ${key.residentId}::uuid, 'credential.collect',
             'credential_issuance_request', won.id::text, 'success', ${actor.ip}::inet,
             jsonb_build_object('credentials', coalesce(
               (select jsonb_agg(id order by status_index) from credentials), '[]'::jsonb))
      from won
    )
    select s.state, s.failure, s.notification_id as "notificationId",
           exists (select from won) as collected, c.id, c.issuer_signed as "issuerSigned"
    from seen s left join credentials c on true
    order by c.status_index`.execute(db);
  return rows;
}

export async function recordNotification(
  trx: Transaction<Database>,
  key: { residentId: string; id: string },
  event: CredentialNotificationEvent,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('credentialIssuanceRequest')
    .set({ notificationEvent: event, notifiedAt: now })
    .where('residentId', '=', key.residentId)
    .where('id', '=', key.id)
    .execute();
}

// ---- credentials ----------------------------------------------------------------------------

export type NewIssuedCredential = {
  residentId: string;
  requestId: string;
  doctype: string;
  documentNumber: string;
  deviceKeyThumbprint: string;
  statusListId: number;
  statusIndex: number;
  signerId: string;
  signedAt: Date;
  validFrom: Date;
  validUntil: Date;
  issuerSigned: Buffer;
};

export async function insertIssuedCredentials(
  trx: Transaction<Database>,
  rows: NewIssuedCredential[],
): Promise<void> {
  if (rows.length > 0) await trx.insertInto('issuedCredential').values(rows).execute();
}

// ---- eligibility --------------------------------------------------------------------------

const subjects = (db: Pick<Conn, 'selectFrom'>, linkIds: readonly string[]) =>
  db
    .selectFrom('resident as r')
    .leftJoin('residentCard as c', 'c.residentId', 'r.id')
    .leftJoin('residentRegisterEnd as e', 'e.residentId', 'r.id')
    .leftJoin('appLink as l', (join) =>
      join.onRef('l.residentId', '=', 'r.id').on('l.id', 'in', linkIds),
    )
    .select([
      'r.id as residentId',
      'r.name',
      'r.nameKana',
      'r.nameLatin',
      'r.birthDate',
      'r.sex',
      'r.address',
      'r.municipalityName',
      'c.issuedOn as cardIssuedOn',
      'c.expiresOn as cardExpiresOn',
      'e.reason as registerEnd',
      'l.endedAt as linkEndedAt',
      'l.id as linkId',
    ]);

/**
 * Uses the request's c_nonces and reads what the issuer needs to know about the subject, in
 * one statement: `nonces` is how many of them were live and unused and are now used (all of
 * them, or the caller refuses the request and rolls back). Undefined when there is no such
 * resident.
 */
export function consumeNoncesAndFindSubject(
  trx: Transaction<Database>,
  nonceHashes: readonly Buffer[],
  key: { residentId: string; linkId: string },
  now: Date,
) {
  const used = trx.with('used', (qb) =>
    qb
      .updateTable('credentialNonce')
      .set({ usedAt: now })
      .where('nonceHash', 'in', [...nonceHashes])
      .where('usedAt', 'is', null)
      .where('expiresAt', '>', now)
      .returning('nonceHash'),
  );
  return subjects(used, [key.linkId])
    .select(sql<number>`(select count(*)::int from used)`.as('nonces'))
    .where('r.id', '=', key.residentId)
    .executeTakeFirst();
}

/**
 * The same for a batch, in one statement: a row per resident and each of their links named
 * (linkId null when none of them is the resident's).
 */
export function findSubjects(db: Conn, keys: readonly { residentId: string; linkId: string }[]) {
  if (keys.length === 0) return Promise.resolve([]);
  return subjects(db, [...new Set(keys.map((k) => k.linkId))])
    .where('r.id', 'in', [...new Set(keys.map((k) => k.residentId))])
    .execute();
}
