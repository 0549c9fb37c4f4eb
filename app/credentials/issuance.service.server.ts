/**
 * mdoc issuance over OpenID4VCI 1.0 (decision 0059): c_nonces, credential requests that
 * become one pg-boss job each, the job that signs one mdoc per proof key exactly once, the
 * collection of the credentials (at once or deferred) and the app's notifications. Every
 * request, issuance, collection and notification is audited in its own transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import type { Transaction } from 'kysely';
import type { CredentialNotificationEvent, Database } from '../../db/schema.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { DocumentDataError, type CredentialSubject, type DocumentTypeConfig } from './doctype.ts';
import { demoDrivingLicence, findDocumentType } from './doctypes.ts';
import type { IssuerKeys } from './issuer-keys.server.ts';
import { checkKeyProof, type CheckedProof, type DeviceJwk } from './key-proof.server.ts';
import { issueMdoc, MdocIssueError } from './mdoc-issue.server.ts';
import { credentialIssueQueue } from './credentials.queues.ts';
import { statusListUri } from './status-list.ts';
import {
  allocateStatusIndices,
  consumeNonce,
  credentialsOfRequest,
  deleteExpiredNonces,
  findRequest,
  findRequestByNotification,
  findRequestByTransaction,
  findSubject,
  finishRequest,
  insertIssuanceRequest,
  insertIssuedCredentials,
  insertNonce,
  lockRequest,
  markRequestCollected,
  pendingProofCounts,
  recordNotification,
} from './issuance.repository.server.ts';
import { BATCH_SIZE } from './vci.schema.ts';
import { VciError } from './vci-error.ts';

/** A c_nonce lives this long (seconds). */
export const NONCE_SECONDS = 300;
/** How long the credential endpoint waits for the job before answering with a transaction_id. */
const IMMEDIATE_WAIT_MS = 2000;
/** The interval (seconds) the app is told to wait between deferred polls. */
export const DEFERRED_INTERVAL_SECONDS = 5;
/** Indices per Token Status List (1 bit each: 16 KiB before compression). */
export const STATUS_LIST_SIZE = 131_072;

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const newSecret = () => randomBytes(32).toString('base64url');

/** Who calls: the app's access token, checked by the route. */
export type AppCaller = { linkId: string; clientId: string; residentId: string; ip: string | null };

const appActor = (caller: AppCaller) => ({
  actorType: 'app' as const,
  actorId: caller.clientId,
  onBehalfOfResidentId: caller.residentId,
  ip: caller.ip,
});

// ---- nonces -------------------------------------------------------------------------------

export async function newNonce(db: Db, now = new Date()): Promise<{ nonce: string }> {
  const nonce = newSecret();
  await insertNonce(db, sha256(nonce), new Date(now.getTime() + NONCE_SECONDS * 1000));
  // Keep the table small: nonces a day past their expiry can never be used.
  if (Math.random() < 0.01) await deleteExpiredNonces(db, new Date(now.getTime() - 86_400_000));
  return { nonce };
}

// ---- eligibility -------------------------------------------------------------------------

export type Refusal = 'link_ended' | 'no_card' | 'card_expired' | 'moved_out' | 'died';

const refusalText: Record<Refusal | 'issue_failed', string> = {
  link_ended: 'the app is no longer linked to the resident',
  no_card: 'the resident has no My Number card on record',
  card_expired: 'the resident’s My Number card has expired',
  moved_out: 'the resident has moved out of the city',
  died: 'the resident is deceased',
  issue_failed: 'the credential could not be issued from the resident’s record',
};

type Subject = NonNullable<Awaited<ReturnType<typeof findSubject>>>;

/** Why no credential may be issued for this subject today, or null. */
export function refusalOf(subject: Subject | undefined, today: string): Refusal | null {
  if (!subject || !subject.linkId || subject.linkEndedAt) return 'link_ended';
  if (subject.registerEnd) return subject.registerEnd;
  if (!subject.cardIssuedOn || !subject.cardExpiresOn) return 'no_card';
  if (subject.cardExpiresOn < today) return 'card_expired';
  return null;
}

/**
 * The data an mdoc of `config` carries. Configurations that need data Madoguchi holds no
 * register of (the mDL's licence) get the documented demo data (decision 0058).
 */
function credentialSubject(
  config: DocumentTypeConfig,
  s: Subject,
  today: string,
): CredentialSubject {
  const resident = {
    name: s.name,
    nameKana: s.nameKana,
    nameLatin: s.nameLatin,
    birthDate: s.birthDate,
    sex: s.sex,
    address: s.address,
    municipalityName: s.municipalityName,
  };
  const needsExtra = config.namespaces.some((n) =>
    n.elements.some((e) => e.source.from === 'extra'),
  );
  if (needsExtra) return { resident, ...demoDrivingLicence(s.birthDate, today) };
  return { resident, card: { issuedOn: s.cardIssuedOn!, expiresOn: s.cardExpiresOn! } };
}

// ---- the credential request -------------------------------------------------------------

export type CredentialRequestInput = {
  credential_configuration_id: string;
  proofs: { jwt: string[] };
};

export type Accepted = {
  residentId: string;
  requestId: string;
  transactionId: string;
  notificationId: string;
};

/**
 * Checks the request and its key proofs, then — in one transaction — uses their c_nonces,
 * checks the subject may get a credential, stores the request and sends its job. Any refusal
 * throws a VciError and leaves nothing behind (a used nonce stays unused).
 */
export async function requestCredential(
  deps: { db: Db; boss: PgBoss; credentialIssuer: string },
  caller: AppCaller,
  input: CredentialRequestInput,
  now = new Date(),
): Promise<Accepted> {
  const config = findDocumentType(input.credential_configuration_id);
  if (!config)
    throw new VciError('unknown_credential_configuration', 'no such credential_configuration_id');
  const jwts = input.proofs.jwt;
  if (jwts.length > BATCH_SIZE)
    throw new VciError('invalid_credential_request', `at most ${BATCH_SIZE} proofs per request`);
  const proofs: CheckedProof[] = [];
  for (const jwt of jwts) proofs.push(await checkKeyProof(jwt, deps.credentialIssuer, now));
  if (new Set(proofs.map((p) => p.thumbprint)).size !== proofs.length)
    throw new VciError('invalid_proof', 'each proof must be made with a different device key');

  const transactionId = newSecret();
  const notificationId = newSecret();
  const proofsHash = sha256([...jwts].sort().join('\n'));
  const today = tokyoDate(now);
  const outcome = await deps.db.transaction().execute(async (trx) => {
    for (const nonce of new Set(proofs.map((p) => p.nonce)))
      if (!(await consumeNonce(trx, sha256(nonce), now)))
        throw new VciError('invalid_nonce', 'the c_nonce is unknown, expired or already used');
    const refusal = refusalOf(await findSubject(trx, caller.residentId, caller.linkId), today);
    if (refusal) return { refusal };
    const requestId = await insertIssuanceRequest(trx, {
      residentId: caller.residentId,
      linkId: caller.linkId,
      clientId: caller.clientId,
      configurationId: config.configurationId,
      transactionHash: sha256(transactionId),
      proofsHash,
      deviceKeys: proofs.map((p) => p.jwk),
      notificationId,
    });
    if (!requestId) throw new VciError('invalid_nonce', 'these proofs were already used');
    await enqueue(deps.boss, trx, credentialIssueQueue, {
      residentId: caller.residentId,
      requestId,
    });
    await recordAudit(trx, {
      ...appActor(caller),
      action: 'credential.request',
      targetType: 'credential_issuance_request',
      targetId: requestId,
      outcome: 'success',
      details: { configurationId: config.configurationId, proofs: proofs.length },
    });
    return { requestId };
  });
  if ('refusal' in outcome) {
    await recordAudit(deps.db, {
      ...appActor(caller),
      action: 'credential.request',
      outcome: 'denied',
      details: { configurationId: config.configurationId, reason: outcome.refusal },
    });
    throw new VciError('credential_request_denied', refusalText[outcome.refusal!]);
  }
  return {
    residentId: caller.residentId,
    requestId: outcome.requestId,
    transactionId,
    notificationId,
  };
}

/** Polls the request until the job has finished it or `waitMs` has passed; its state then. */
export async function awaitIssuance(
  db: Db,
  key: { residentId: string; requestId: string },
  waitMs = IMMEDIATE_WAIT_MS,
): Promise<'pending' | 'issued' | 'failed'> {
  const until = Date.now() + waitMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 200)) {
    const row = await findRequest(db, key.residentId, key.requestId);
    if (!row || row.state !== 'pending' || Date.now() >= until) return row?.state ?? 'failed';
    await new Promise((r) => setTimeout(r, Math.min(delay, until - Date.now())));
  }
}

export type Collected = { credentials: { credential: string }[]; notification_id: string };

/**
 * Hands the issued credentials to the app once (the IssuerSigned bytes are dropped from the
 * database then): a second collection of the same request is refused.
 */
export async function collectCredentials(
  db: Db,
  caller: AppCaller,
  key: { residentId: string; requestId: string },
  now = new Date(),
): Promise<Collected | { pending: true }> {
  return db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, key.residentId, key.requestId);
    if (!request) throw new VciError('invalid_transaction_id', 'unknown transaction');
    if (request.state === 'pending') return { pending: true as const };
    if (request.state === 'failed')
      throw new VciError(
        'credential_request_denied',
        refusalText[(request.failure ?? 'issue_failed') as Refusal] ?? refusalText.issue_failed,
      );
    if (request.collectedAt)
      throw new VciError('invalid_transaction_id', 'the credentials were already collected');
    const rows = await credentialsOfRequest(trx, key.residentId, key.requestId);
    await markRequestCollected(trx, { residentId: key.residentId, id: key.requestId }, now);
    await recordAudit(trx, {
      ...appActor(caller),
      action: 'credential.collect',
      targetType: 'credential_issuance_request',
      targetId: key.requestId,
      outcome: 'success',
      details: { credentials: rows.map((r) => r.id) },
    });
    return {
      credentials: rows.map((r) => ({ credential: r.issuerSigned!.toString('base64url') })),
      notification_id: request.notificationId,
    };
  });
}

/** The deferred endpoint: the caller's own transaction only (another client's is unknown). */
export async function collectDeferred(
  db: Db,
  caller: AppCaller,
  transactionId: string,
  now = new Date(),
): Promise<Collected | { pending: true }> {
  const request = await findRequestByTransaction(db, sha256(transactionId));
  if (
    !request ||
    request.clientId !== caller.clientId ||
    request.residentId !== caller.residentId ||
    request.linkId !== caller.linkId
  )
    throw new VciError('invalid_transaction_id', 'unknown transaction');
  return collectCredentials(
    db,
    caller,
    { residentId: request.residentId, requestId: request.id },
    now,
  );
}

export async function notify(
  db: Db,
  caller: AppCaller,
  input: {
    notification_id: string;
    event: CredentialNotificationEvent;
    event_description?: string;
  },
  now = new Date(),
): Promise<void> {
  const request = await findRequestByNotification(db, input.notification_id);
  if (!request || request.clientId !== caller.clientId || request.residentId !== caller.residentId)
    throw new VciError('invalid_notification_id', 'unknown notification_id');
  if (request.state !== 'issued')
    throw new VciError('invalid_notification_id', 'nothing was issued under this notification_id');
  await db.transaction().execute(async (trx) => {
    await recordNotification(
      trx,
      { residentId: request.residentId, id: request.id },
      input.event,
      now,
    );
    await recordAudit(trx, {
      ...appActor(caller),
      action: 'credential.notification',
      targetType: 'credential_issuance_request',
      targetId: request.id,
      outcome: 'success',
      details: {
        event: input.event,
        ...(input.event_description ? { description: input.event_description.slice(0, 200) } : {}),
      },
    });
  });
}

// ---- the job ------------------------------------------------------------------------------

export type IssuanceDeps = {
  db: Db;
  keys: IssuerKeys;
  maxValidityDays: number;
  /** The public origin: status list URIs are `<origin>/credentials/status/<list id>`. */
  publicOrigin: string;
};

/**
 * The issuance job's work for one request, in one transaction: the request row locked, its
 * state checked (anything but pending is done already: retries and second workers stop
 * here), the subject checked again, one status index per proof key allocated, one mdoc signed
 * per key and stored, the request marked issued (or failed, with the reason), audited.
 */
export async function runIssuance(
  deps: IssuanceDeps,
  key: { residentId: string; requestId: string },
  now = new Date(),
  /** The batch's transaction (runIssuances); otherwise a transaction of its own. */
  inTransaction?: Transaction<Database>,
  /** Status indices set aside for this request before the batch's transaction began. */
  reserved?: { listId: number; first: number; count: number },
): Promise<'issued' | 'failed' | 'done'> {
  const work = async (trx: Transaction<Database>): Promise<'issued' | 'failed' | 'done'> => {
    const request = await lockRequest(trx, key.residentId, key.requestId);
    if (!request || request.state !== 'pending') return 'done';
    const rowKey = { residentId: key.residentId, id: key.requestId };
    const today = tokyoDate(now);
    const subject = await findSubject(trx, key.residentId, request.linkId);
    const config = findDocumentType(request.configurationId);
    let failure: string | null = config ? refusalOf(subject, today) : 'issue_failed';
    const deviceKeys = request.deviceKeys as (DeviceJwk & { thumbprint?: string })[];
    const issued: Parameters<typeof insertIssuedCredentials>[1] = [];
    if (!failure) {
      const { listId, first } =
        reserved?.count === deviceKeys.length
          ? reserved
          : await allocateStatusIndices(trx, deviceKeys.length, STATUS_LIST_SIZE);
      const uri = statusListUri(deps.publicOrigin, listId);
      try {
        for (const [i, jwk] of deviceKeys.entries()) {
          const mdoc = issueMdoc({
            config: config!,
            subject: credentialSubject(config!, subject!, today),
            devicePublicKey: jwk,
            status: { idx: first + i, uri },
            signer: deps.keys.current,
            issuer: deps.keys.identity,
            maxValidityDays: deps.maxValidityDays,
            now,
          });
          issued.push({
            residentId: key.residentId,
            requestId: key.requestId,
            doctype: mdoc.docType,
            documentNumber: mdoc.documentNumber,
            deviceKeyThumbprint: thumbprintOf(jwk),
            statusListId: listId,
            statusIndex: first + i,
            signerId: mdoc.signerId,
            signedAt: mdoc.validity.signed,
            validFrom: mdoc.validity.validFrom,
            validUntil: mdoc.validity.validUntil,
            issuerSigned: mdoc.issuerSigned,
          });
        }
      } catch (error) {
        if (!(error instanceof MdocIssueError || error instanceof DocumentDataError)) throw error;
        failure = 'issue_failed';
        issued.length = 0;
      }
    }
    if (failure) {
      await finishRequest(trx, rowKey, { state: 'failed', failure }, now);
    } else {
      await insertIssuedCredentials(trx, issued);
      await finishRequest(trx, rowKey, { state: 'issued' }, now);
    }
    await recordAudit(trx, {
      actorType: 'system',
      actorId: 'credentials.issue',
      onBehalfOfResidentId: key.residentId,
      action: 'credential.issue',
      targetType: 'credential_issuance_request',
      targetId: key.requestId,
      outcome: failure ? 'failure' : 'success',
      details: failure
        ? { reason: failure }
        : {
            doctype: config!.doctype,
            signerId: deps.keys.current.id,
            credentials: issued.map((c) => ({
              documentNumber: c.documentNumber,
              statusList: c.statusListId,
              statusIndex: c.statusIndex,
            })),
          },
    });
    return failure ? 'failed' : 'issued';
  };
  return inTransaction ? work(inTransaction) : deps.db.transaction().execute(work);
}

/**
 * A batch of issuance jobs in one transaction (decision 0060): one commit per batch instead
 * of per request, and the status list row locked only while the batch's indices are taken —
 * what bounded the jobs' throughput.
 * Each request is still locked and checked on its own (exactly once, as before); an error
 * rolls the batch back and pg-boss retries it. The outcomes come in the keys' order.
 */
export async function runIssuances(
  deps: IssuanceDeps,
  keys: readonly { residentId: string; requestId: string }[],
  now = new Date(),
): Promise<('issued' | 'failed' | 'done')[]> {
  // The batch's status indices first, in a short transaction of their own: the list row is
  // locked for a moment, not while the batch signs, so two workers' batches run side by side.
  // Indices of a request that turns out done or refused stay unused (never handed out again).
  const counts = await pendingProofCounts(deps.db, keys);
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const reserved = new Map<string, { listId: number; first: number; count: number }>();
  if (total > 0) {
    const { listId, first } = await deps.db
      .transaction()
      .execute((trx) => allocateStatusIndices(trx, total, STATUS_LIST_SIZE));
    let next = first;
    for (const c of counts) {
      reserved.set(c.requestId, { listId, first: next, count: c.count });
      next += c.count;
    }
  }
  return deps.db.transaction().execute(async (trx) => {
    const outcomes: ('issued' | 'failed' | 'done')[] = [];
    for (const key of keys)
      outcomes.push(await runIssuance(deps, key, now, trx, reserved.get(key.requestId)));
    return outcomes;
  });
}

/** RFC 7638 JWK thumbprint (SHA-256) of a P-256 public key. */
function thumbprintOf(jwk: DeviceJwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}
