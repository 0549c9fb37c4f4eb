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
import { recordAudit, recordAudits } from '../audit/audit.service.server.ts';
import type { AuditEntry } from '../audit/audit.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { DocumentDataError, type CredentialSubject, type DocumentTypeConfig } from './doctype.ts';
import { demoDrivingLicence, findDocumentType } from './doctypes.ts';
import type { IssuerKeys } from './issuer-keys.server.ts';
import {
  checkKeyProof,
  thumbprintOf,
  type CheckedProof,
  type DeviceJwk,
} from './key-proof.server.ts';
import { issueMdoc, MdocIssueError } from './mdoc-issue.server.ts';
import { credentialIssueQueue } from './credentials.queues.ts';
import { statusListUri } from './status-list.ts';
import { announceIssued, issuanceWaiter } from './issuance-wake.server.ts';
import {
  allocateStatusIndices,
  consumeNoncesAndFindSubject,
  collectRequest,
  deleteExpiredNonces,
  findRequest,
  findRequestByNotification,
  findRequestByTransaction,
  findSubjects,
  finishRequests,
  insertIssuanceRequest,
  insertIssuedCredentials,
  insertNonce,
  lockRequests,
  pendingProofCounts,
  recordNotification,
  type NewIssuedCredential,
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

type Subject = Awaited<ReturnType<typeof findSubjects>>[number];

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
  // Three statements between BEGIN and COMMIT (decision 0060 addendum): nonces and subject,
  // request and its audit entry, job.
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const nonces = [...new Set(proofs.map((p) => sha256(p.nonce).toString('hex')))];
    const subject = await consumeNoncesAndFindSubject(
      trx,
      nonces.map((n) => Buffer.from(n, 'hex')),
      { residentId: caller.residentId, linkId: caller.linkId },
      now,
    );
    if (subject && subject.nonces !== nonces.length)
      throw new VciError('invalid_nonce', 'the c_nonce is unknown, expired or already used');
    const refusal = refusalOf(subject, today);
    if (refusal) return { refusal };
    const requestId = await insertIssuanceRequest(
      trx,
      {
        residentId: caller.residentId,
        linkId: caller.linkId,
        clientId: caller.clientId,
        configurationId: config.configurationId,
        transactionHash: sha256(transactionId),
        proofsHash,
        deviceKeys: proofs.map((p) => p.jwk),
        notificationId,
      },
      {
        ip: caller.ip,
        details: { configurationId: config.configurationId, proofs: proofs.length },
      },
    );
    if (!requestId) throw new VciError('invalid_nonce', 'these proofs were already used');
    await enqueue(deps.boss, trx, credentialIssueQueue, {
      residentId: caller.residentId,
      requestId,
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

/**
 * Waits until the job has finished the request or `waitMs` has passed: 'finished' (issued or
 * failed: the collection tells which) or 'pending'. The job wakes the wait when it runs in
 * this process (issuance-wake.server.ts), and then nothing is read here: the collection reads
 * the row anyway. Without a wake within 100 ms, then every 200 ms (a web-only process, or a
 * job that finished before the wait began), the row is read.
 */
export async function awaitIssuance(
  db: Db,
  key: { residentId: string; requestId: string },
  waitMs = IMMEDIATE_WAIT_MS,
): Promise<'pending' | 'finished'> {
  const until = Date.now() + waitMs;
  for (let backstop = 100; ; backstop = 200) {
    const left = until - Date.now();
    if (left <= 0) return 'pending';
    if (await issuanceWaiter(key.requestId, Math.min(backstop, left)).woken) return 'finished';
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

// ---- the job ------------------------------------------------------------------------------

export type IssuanceDeps = {
  db: Db;
  keys: IssuerKeys;
  maxValidityDays: number;
  /** The public origin: status list URIs are `<origin>/credentials/status/<list id>`. */
  publicOrigin: string;
};

/** One request alone: runIssuances with a batch of one. */
export async function runIssuance(
  deps: IssuanceDeps,
  key: { residentId: string; requestId: string },
  now = new Date(),
): Promise<'issued' | 'failed' | 'done'> {
  const [outcome] = await runIssuances(deps, [key], now);
  return outcome!;
}

type Reserved = { listId: number; first: number; count: number };

/**
 * A batch of issuance jobs (decisions 0060 and its addendum): one transaction and a fixed
 * number of statements whatever the batch's size. The status indices are taken first, in one
 * statement of their own, so the status list row is locked for a moment, not while the batch
 * signs. Then, in the batch's transaction: the request rows locked (in id order) and their
 * states checked — anything but pending is done already, so retries and a second worker stop
 * there (exactly once) —, the subjects read and checked again, one mdoc signed per proof key,
 * the credentials inserted, the requests marked issued or failed (with the reason) and each
 * audited, every one of these one statement for the whole batch. An error rolls the batch
 * back and pg-boss retries it. After the commit, requests waiting in this process are woken.
 * The outcomes come in the keys' order (a key repeated in the batch is 'done' after its first).
 */
export async function runIssuances(
  deps: IssuanceDeps,
  keys: readonly { residentId: string; requestId: string }[],
  now = new Date(),
): Promise<('issued' | 'failed' | 'done')[]> {
  // Indices of a request that turns out done or refused stay unused (never handed out again).
  const counts = await pendingProofCounts(deps.db, keys);
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const reserved = new Map<string, Reserved>();
  if (total > 0) {
    const { listId, first } = await allocateStatusIndices(deps.db, total, STATUS_LIST_SIZE);
    let next = first;
    for (const c of counts) {
      reserved.set(c.requestId, { listId, first: next, count: c.count });
      next += c.count;
    }
  }
  const outcome = await deps.db
    .transaction()
    .execute((trx) => issueBatch(deps, trx, keys, reserved, now));
  announceIssued([...outcome.keys()]);
  const seen = new Set<string>();
  return keys.map((k) => {
    const first = !seen.has(k.requestId);
    seen.add(k.requestId);
    return (first && outcome.get(k.requestId)) || 'done';
  });
}

async function issueBatch(
  deps: IssuanceDeps,
  trx: Transaction<Database>,
  keys: readonly { residentId: string; requestId: string }[],
  reserved: Map<string, Reserved>,
  now: Date,
): Promise<Map<string, 'issued' | 'failed'>> {
  const pending = (await lockRequests(trx, keys)).filter((r) => r.state === 'pending');
  const subjects = await findSubjects(trx, pending);
  const today = tokyoDate(now);
  const credentials: NewIssuedCredential[] = [];
  const finished: Parameters<typeof finishRequests>[1][number][] = [];
  const audits: AuditEntry[] = [];
  for (const request of pending) {
    const subject = subjectOf(subjects, request);
    const config = findDocumentType(request.configurationId);
    let failure: string | null = config ? refusalOf(subject, today) : 'issue_failed';
    const deviceKeys = request.deviceKeys as (DeviceJwk & { thumbprint?: string })[];
    let issued: NewIssuedCredential[] = [];
    if (!failure) {
      const held = reserved.get(request.id);
      const { listId, first } =
        held?.count === deviceKeys.length
          ? held
          : await allocateStatusIndices(trx, deviceKeys.length, STATUS_LIST_SIZE);
      try {
        issued = signAll(deps, config!, subject!, request, deviceKeys, { listId, first }, now);
      } catch (error) {
        if (!(error instanceof MdocIssueError || error instanceof DocumentDataError)) throw error;
        failure = 'issue_failed';
      }
    }
    credentials.push(...(failure ? [] : issued));
    finished.push({
      residentId: request.residentId,
      id: request.id,
      state: failure ? 'failed' : 'issued',
      failure,
    });
    audits.push({
      actorType: 'system',
      actorId: 'credentials.issue',
      onBehalfOfResidentId: request.residentId,
      action: 'credential.issue',
      targetType: 'credential_issuance_request',
      targetId: request.id,
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
  }
  await insertIssuedCredentials(trx, credentials);
  await finishRequests(trx, finished, now);
  await recordAudits(trx, audits);
  return new Map(finished.map((f) => [f.id, f.state]));
}

/** The subject row of the request's resident and link; without its link, one that has none. */
function subjectOf(
  rows: Awaited<ReturnType<typeof findSubjects>>,
  request: { residentId: string; linkId: string },
): Subject | undefined {
  const own = rows.filter((r) => r.residentId === request.residentId);
  const linked = own.find((r) => r.linkId === request.linkId);
  return linked ?? (own[0] && { ...own[0], linkId: null, linkEndedAt: null });
}

/** One mdoc per device key, with consecutive status indices from `first`. */
function signAll(
  deps: IssuanceDeps,
  config: DocumentTypeConfig,
  subject: Subject,
  request: { residentId: string; id: string },
  deviceKeys: DeviceJwk[],
  indices: { listId: number; first: number },
  now: Date,
): NewIssuedCredential[] {
  const today = tokyoDate(now);
  const uri = statusListUri(deps.publicOrigin, indices.listId);
  return deviceKeys.map((jwk, i) => {
    const mdoc = issueMdoc({
      config,
      subject: credentialSubject(config, subject, today),
      devicePublicKey: jwk,
      status: { idx: indices.first + i, uri },
      signer: deps.keys.current,
      issuer: deps.keys.identity,
      maxValidityDays: deps.maxValidityDays,
      now,
    });
    return {
      residentId: request.residentId,
      requestId: request.id,
      doctype: mdoc.docType,
      documentNumber: mdoc.documentNumber,
      deviceKeyThumbprint: thumbprintOf(jwk),
      statusListId: indices.listId,
      statusIndex: indices.first + i,
      signerId: mdoc.signerId,
      signedAt: mdoc.validity.signed,
      validFrom: mdoc.validity.validFrom,
      validUntil: mdoc.validity.validUntil,
      issuerSigned: mdoc.issuerSigned,
    };
  });
}
