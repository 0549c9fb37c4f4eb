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

/** Forgets used nonces that expired a day ago (they can never be presented again). */
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
 * The whole credential request in one statement (decision 0060, addenda "the request row is
 * its own queue" and "a stateless c_nonce"): reads the subject, records the request's c_nonces
 * as used and stores the request row with its `credential.request` audit entry — the row is
 * the issuance queue, and its insert trigger wakes the workers when it commits. The nonces'
 * seals and expiry were checked by the caller; here each must not have been used before.
 * Nothing is written unless none was and the subject may be issued a credential today (the
 * same rules as `refusalOf`, which names the reason): a refused request leaves its nonces
 * unused. A repeated proof set inserts nothing (`unique (resident_id, proofs_hash)`), and of
 * two requests racing for one nonce only the first records it (the second's insert waits for
 * the first's row, then conflicts) and only it stores a request. The subject as read
 * (undefined when there is no such resident), how many of the nonces were unused (`nonces`),
 * and the new request's id or null.
 */
export async function insertRequestOnce(
  db: Db,
  input: {
    request: NewIssuanceRequest;
    nonces: readonly { hash: Buffer; expiresAt: Date }[];
    audit: { ip: string | null; details: Record<string, unknown> };
    today: string;
    now: Date;
  },
) {
  const { request, now } = input;
  const hashes = sql.join(input.nonces.map((n) => sql`${n.hash}`));
  const values_ = sql.join(
    input.nonces.map((n) => sql`(${n.hash}::bytea, ${n.expiresAt}::timestamptz)`),
  );
  const subject = subjects(db, [request.linkId]).where('r.id', '=', request.residentId);
  const { rows } = await sql<
    Awaited<ReturnType<typeof subject.executeTakeFirstOrThrow>> & {
      nonces: number;
      requestId: string | null;
    }
  >`
    with subject as materialized (${subject}), seen as materialized (
      select nonce_hash from credential_nonce where nonce_hash in (${hashes})
    ), eligible as (
      select from subject s
      where not exists (select from seen)
        and s.link_id is not null and s.link_ended_at is null and s.register_end is null
        and s.card_issued_on is not null and s.card_expires_on >= ${input.today}::date
    ), used as (
      insert into credential_nonce (nonce_hash, expires_at, used_at)
      select n.hash, n.expires_at, ${now} from (values ${values_}) as n(hash, expires_at)
      where exists (select from eligible)
      on conflict (nonce_hash) do nothing
      returning nonce_hash
    ), request as (
      insert into credential_issuance_request (resident_id, link_id, client_id, configuration_id,
        transaction_hash, proofs_hash, device_keys, notification_id)
      select ${request.residentId}::uuid, ${request.linkId}::uuid, ${request.clientId},
        ${request.configurationId}, ${request.transactionHash}, ${request.proofsHash},
        ${JSON.stringify(request.deviceKeys)}::text::jsonb, ${request.notificationId}
      where (select count(*) from used) = ${input.nonces.length}
      on conflict (resident_id, proofs_hash) do nothing
      returning id
    ), audited as (
      insert into audit_log (actor_type, actor_id, on_behalf_of_resident_id, action,
                             target_type, target_id, outcome, ip, details)
      select 'app', ${request.clientId}::text, ${request.residentId}::uuid, 'credential.request',
             'credential_issuance_request', id::text, 'success', ${input.audit.ip}::inet,
             ${JSON.stringify(input.audit.details)}::text::jsonb
      from request
    )
    select s.*, ${input.nonces.length}::int - (select count(*)::int from seen) as nonces,
           (select id from request) as request_id
    from subject s`.execute(db);
  return rows[0];
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

export function findRequestByTransaction(db: Conn, transactionHash: Buffer) {
  return requests(db).where('transactionHash', '=', transactionHash).executeTakeFirst();
}

export function findRequestByNotification(db: Conn, notificationId: string) {
  return requests(db).where('notificationId', '=', notificationId).executeTakeFirst();
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
 * What the issuer needs to know about a batch's subjects, in one statement: a row per resident and each of their links named
 * (linkId null when none of them is the resident's).
 */
export function findSubjects(db: Conn, keys: readonly { residentId: string; linkId: string }[]) {
  if (keys.length === 0) return Promise.resolve([]);
  return subjects(db, [...new Set(keys.map((k) => k.linkId))])
    .where('r.id', 'in', [...new Set(keys.map((k) => k.residentId))])
    .execute();
}
