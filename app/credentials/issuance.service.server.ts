/**
 * mdoc issuance over OpenID4VCI 1.0 (decision 0059), the request side: c_nonces, credential
 * requests — each request row is the issuance queue's entry (decision 0060, addendum "the
 * request row is its own queue"; the worker's side is issuance-batch.server.ts) —, the
 * collection of the credentials (at once, handed over, or deferred) and the app's
 * notifications. Every request, issuance, collection and notification is audited with it, in
 * the same statement or transaction.
 */
import { createHash } from 'node:crypto';
import { pooledRandomBytes } from '../platform/random-pool.server.ts';
import type { Db } from '../../db/connection.ts';
import type { CredentialNotificationEvent } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import { tokyoDate } from '../i18n/dates.ts';
import type { CredentialSubject, DocumentTypeConfig } from './doctype.ts';
import { demoDrivingLicence, findDocumentType } from './doctypes.ts';
import { checkKeyProof, type CheckedProof } from './key-proof.server.ts';
import { issuanceWaiter, type Collector, type HandOver } from './issuance-wake.server.ts';
import {
  collectRequest,
  deleteExpiredNonces,
  findRequest,
  findRequestByNotification,
  findRequestByTransaction,
  insertRequestOnce,
  recordNotification,
  type findSubjects,
} from './issuance.repository.server.ts';
import { BATCH_SIZE } from './vci.schema.ts';
import { mintNonce, nonceExpiry } from './c-nonce.server.ts';
import { VciError } from './vci-error.ts';

/** How long the credential endpoint waits for the job before answering with a transaction_id. */
const IMMEDIATE_WAIT_MS = 2000;
/** The interval (seconds) the app is told to wait between deferred polls. */
export const DEFERRED_INTERVAL_SECONDS = 5;
/** Indices per Token Status List (1 bit each: 16 KiB before compression). */
export const STATUS_LIST_SIZE = 131_072;

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const newSecret = () => pooledRandomBytes(32).toString('base64url');

/** Who calls: the app's access token, checked by the route. */
export type AppCaller = { linkId: string; clientId: string; residentId: string; ip: string | null };

const appActor = (caller: AppCaller) => ({
  actorType: 'app' as const,
  actorId: caller.clientId,
  onBehalfOfResidentId: caller.residentId,
  ip: caller.ip,
});

// ---- nonces -------------------------------------------------------------------------------

/** A fresh c_nonce: stateless, sealed with `nonceKey` (c-nonce.server.ts); nothing is stored. */
export function newNonce(nonceKey: Buffer, now = new Date()): { nonce: string } {
  return { nonce: mintNonce(nonceKey, now) };
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

export type Subject = Awaited<ReturnType<typeof findSubjects>>[number];

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
export function credentialSubject(
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
 * Checks the request and its key proofs, then — in one statement (decision 0060, addendum "the
 * request row is its own queue") — uses their c_nonces, checks the subject may get a
 * credential and stores the request, which is the issuance queue's row: its commit wakes the
 * workers. Any refusal throws a VciError and leaves nothing behind (a used nonce stays unused).
 */
export async function requestCredential(
  deps: { db: Db; credentialIssuer: string; nonceKey: Buffer },
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
  for (const jwt of jwts) proofs.push(checkKeyProof(jwt, deps.credentialIssuer, now));
  if (new Set(proofs.map((p) => p.thumbprint)).size !== proofs.length)
    throw new VciError('invalid_proof', 'each proof must be made with a different device key');

  const transactionId = newSecret();
  const notificationId = newSecret();
  const today = tokyoDate(now);
  // Each c_nonce must be one this issuer sealed and still live; the statement below records
  // them as used, once.
  const nonces = new Map<string, Date>();
  for (const { nonce } of proofs) {
    const expiresAt = nonceExpiry(deps.nonceKey, nonce, now);
    if (!expiresAt) throw new VciError('invalid_nonce', 'the c_nonce is unknown or expired');
    nonces.set(sha256(nonce).toString('hex'), expiresAt);
  }
  const stored = await insertRequestOnce(deps.db, {
    request: {
      residentId: caller.residentId,
      linkId: caller.linkId,
      clientId: caller.clientId,
      configurationId: config.configurationId,
      transactionHash: sha256(transactionId),
      proofsHash: sha256([...jwts].sort().join('\n')),
      deviceKeys: proofs.map((p) => p.jwk),
      notificationId,
    },
    nonces: [...nonces].map(([hash, expiresAt]) => ({ hash: Buffer.from(hash, 'hex'), expiresAt })),
    audit: {
      ip: caller.ip,
      details: { configurationId: config.configurationId, proofs: proofs.length },
    },
    today,
    now,
  });
  if (stored && stored.nonces !== nonces.size)
    throw new VciError('invalid_nonce', 'the c_nonce was already used');
  // Keep the table of used nonces small: a day past their expiry they can never be used.
  if (Math.random() < 0.01)
    await deleteExpiredNonces(deps.db, new Date(now.getTime() - 86_400_000));
  const refusal = refusalOf(stored, today);
  if (refusal) {
    await recordAudit(deps.db, {
      ...appActor(caller),
      action: 'credential.request',
      outcome: 'denied',
      details: { configurationId: config.configurationId, reason: refusal },
    });
    throw new VciError('credential_request_denied', refusalText[refusal]);
  }
  // Live nonces but no row: these proofs were stored before, or a racing request used a nonce.
  if (!stored?.requestId) throw new VciError('invalid_nonce', 'these proofs were already used');
  return {
    residentId: caller.residentId,
    requestId: stored.requestId,
    transactionId,
    notificationId,
  };
}

/**
 * Waits until the job has finished the request or `waitMs` has passed: 'finished' (issued or
 * failed: the collection tells which) or 'pending'; or, when `collector` is given and the
 * worker of this process collected the request for it, the credentials it handed over (the
 * caller answers with them; nothing is left to collect). The job wakes the wait when it runs
 * in this process (issuance-wake.server.ts), and then nothing is read here: the collection
 * reads the row anyway. Without a wake within 100 ms, then every 200 ms (a web-only process,
 * or a job that finished before the wait began), the row is read.
 */
export async function awaitIssuance(
  db: Db,
  key: { residentId: string; requestId: string },
  waitMs = IMMEDIATE_WAIT_MS,
  collector: Collector | null = null,
): Promise<'pending' | 'finished' | HandOver> {
  const until = Date.now() + waitMs;
  for (let backstop = 100; ; backstop = 200) {
    const left = until - Date.now();
    if (left <= 0) return 'pending';
    const waiter = issuanceWaiter(key.requestId, Math.min(backstop, left), collector);
    if (await waiter.woken) return waiter.handedOver() ?? 'finished';
    const row = await findRequest(db, key.residentId, key.requestId);
    if (!row || row.state !== 'pending') return 'finished';
  }
}

export type Collected = { credentials: { credential: string }[]; notification_id: string };

/**
 * Hands the issued credentials to the app once (the IssuerSigned bytes are dropped from the
 * database then), audited with it in one statement: a second collection of the same request
 * is refused.
 */
export async function collectCredentials(
  db: Db,
  caller: AppCaller,
  key: { residentId: string; requestId: string },
  now = new Date(),
): Promise<Collected | { pending: true }> {
  const rows = await collectRequest(
    db,
    { residentId: key.residentId, id: key.requestId },
    { clientId: caller.clientId, ip: caller.ip },
    now,
  );
  const request = rows[0];
  if (!request) throw new VciError('invalid_transaction_id', 'unknown transaction');
  if (request.collected)
    return {
      credentials: rows.flatMap((r) =>
        r.issuerSigned ? [{ credential: r.issuerSigned.toString('base64url') }] : [],
      ),
      notification_id: request.notificationId,
    };
  if (request.state === 'pending') return { pending: true as const };
  if (request.state === 'failed')
    throw new VciError(
      'credential_request_denied',
      refusalText[(request.failure ?? 'issue_failed') as Refusal] ?? refusalText.issue_failed,
    );
  // Issued, and collected before (or by a concurrent call that committed first).
  throw new VciError('invalid_transaction_id', 'the credentials were already collected');
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
