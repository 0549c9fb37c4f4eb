/**
 * mdoc issuance over OpenID4VCI 1.0 (decision 0059): c_nonces, credential requests — each
 * request row is the issuance queue's entry (decision 0060, addendum "the request row is its
 * own queue") —, the worker's batches that sign one mdoc per proof key exactly once, the
 * collection of the credentials (at once or deferred) and the app's notifications. Every
 * request, issuance, collection and notification is audited with it, in the same statement or
 * transaction.
 */
import { createHash } from 'node:crypto';
import { pooledRandomBytes } from '../platform/random-pool.server.ts';
import type { Db } from '../../db/connection.ts';
import type { CredentialNotificationEvent } from '../../db/schema.ts';
import { checkedAuditEntry, recordAudit } from '../audit/audit.service.server.ts';
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
import { statusListUri } from './status-list.ts';
import {
  announceIssued,
  handOver,
  holdForCollection,
  issuanceWaiter,
  letGo,
  type Collector,
  type HandOver,
} from './issuance-wake.server.ts';
import {
  allocateStatusIndices,
  collectRequest,
  deleteExpiredNonces,
  findRequest,
  findRequestByNotification,
  findRequestByTransaction,
  findSubjects,
  insertRequestOnce,
  recordNotification,
  type NewIssuedCredential,
} from './issuance.repository.server.ts';
import {
  claimRequests,
  failClaimed,
  finishClaimed,
  type ClaimedRequest,
} from './issuance-queue.repository.server.ts';
import { BATCH_SIZE } from './vci.schema.ts';
import { mintNonce, nonceExpiry } from './c-nonce.server.ts';
import { VciError } from './vci-error.ts';

/** A c_nonce lives this long (seconds). */
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

// ---- the job ------------------------------------------------------------------------------

export type IssuanceDeps = {
  db: Db;
  keys: IssuerKeys;
  maxValidityDays: number;
  /** The public origin: status list URIs are `<origin>/credentials/status/<list id>`. */
  publicOrigin: string;
};

/**
 * How the request rows are worked as a queue (decision 0060, addendum "the request row is its
 * own queue"): up to `batchSize` claimed at once, each claim a lease of `leaseSeconds` (a
 * crashed worker's requests are claimed again after it), a failed attempt tried again after
 * `retryDelaySeconds · 2^(attempt − 1)`, dead after `maxAttempts` — pg-boss's options of the
 * `credentials.issue` queue this replaces (retryLimit 3 = 4 attempts, delay 2 s, backoff).
 */
export type IssuePolicy = {
  batchSize: number;
  leaseSeconds: number;
  maxAttempts: number;
  retryDelaySeconds: number;
};

export const issuePolicy: IssuePolicy = {
  batchSize: 32,
  leaseSeconds: 60,
  maxAttempts: 4,
  retryDelaySeconds: 2,
};

/** One request alone: runIssuances with a batch of one. */
export async function runIssuance(
  deps: IssuanceDeps,
  key: { residentId: string; requestId: string },
  now?: Date,
): Promise<'issued' | 'failed' | 'done'> {
  const [outcome] = await runIssuances(deps, [key], now);
  return outcome!;
}

/**
 * Claims the named requests that are still claimable and issues them (what the worker does
 * with the oldest ones; tests and tools name theirs). The outcomes come in the keys' order:
 * 'done' for a request that was not claimed — finished, held by another worker, waiting for
 * its retry, dead —, whose attempt failed (recorded for its retry), or a key repeated after
 * its first.
 */
export async function runIssuances(
  deps: IssuanceDeps,
  keys: readonly { residentId: string; requestId: string }[],
  now?: Date,
  policy: IssuePolicy = issuePolicy,
): Promise<('issued' | 'failed' | 'done')[]> {
  const claimed = await claimRequests(deps.db, {
    ...claimOptions(policy),
    limit: keys.length,
    keys,
  });
  // The time of the issuance is taken once the rows are claimed: never before a request's row.
  const outcome = await issueClaimed(deps, claimed, policy, now ?? new Date());
  const seen = new Set<string>();
  return keys.map((k) => {
    const first = !seen.has(k.requestId);
    seen.add(k.requestId);
    return (first && outcome.get(k.requestId)) || 'done';
  });
}

/** The worker's turn: claims up to a batch of the oldest claimable requests and issues them. */
export async function issuePending(
  deps: IssuanceDeps,
  policy: IssuePolicy = issuePolicy,
  now?: Date,
): Promise<{ claimed: number; finished: number }> {
  const claimed = await claimRequests(deps.db, {
    ...claimOptions(policy),
    limit: policy.batchSize,
  });
  // The time of the issuance is taken once the rows are claimed: never before a request's row.
  const outcome = await issueClaimed(deps, claimed, policy, now ?? new Date());
  return { claimed: claimed.length, finished: outcome.size };
}

const claimOptions = (policy: IssuePolicy) => ({
  leaseSeconds: policy.leaseSeconds,
  maxAttempts: policy.maxAttempts,
});

/**
 * A claimed batch, in a fixed number of statements whatever its size (decision 0060 and its
 * addenda): the subjects read and checked again, the status indices taken in one statement
 * (so the status list row is locked for a moment, never while signing), one mdoc signed per
 * proof key, then one statement that marks the requests issued or failed (with the reason),
 * inserts the credentials and audits each request — only for requests this claim still holds,
 * so a request is issued once even if this worker outlived its lease. Indices of a request
 * that turns out refused or no longer held stay unused (never handed out again). A request
 * whose signing throws something unexpected, or the whole batch when a statement fails,
 * counts a failed attempt (retried with backoff, then dead). After the results are written,
 * requests waiting in this process are woken. The finished requests' outcomes.
 */
async function issueClaimed(
  deps: IssuanceDeps,
  claimed: readonly ClaimedRequest[],
  policy: IssuePolicy,
  now: Date,
): Promise<Map<string, 'issued' | 'failed'>> {
  if (claimed.length === 0) return new Map();
  let broken: { request: ClaimedRequest; error: unknown }[] = [];
  let held = new Map<string, Collector>();
  try {
    const work = await signClaimed(deps, claimed, now);
    broken = work.broken;
    // Credential requests waiting in this process are collected by the results statement and
    // handed their credentials here: no statement of their own (issuance-wake.server.ts).
    held = holdForCollection(work.finished.filter((f) => f.state === 'issued').map((f) => f.id));
    const done = await finishClaimed(
      deps.db,
      { ...work, finished: work.finished.map((f) => ({ ...f, collector: held.get(f.id) })) },
      now,
    );
    for (const d of done) {
      if (!d.collected) continue;
      handOver(d.id, {
        credentials: work.credentials
          .filter((c) => c.requestId === d.id)
          .sort((a, b) => a.statusIndex - b.statusIndex)
          .map((c) => c.issuerSigned),
      });
      held.delete(d.id);
    }
    letGo(held.keys(), { finished: false });
    announceIssued(done.map((d) => d.id));
    return new Map(done.map((d) => [d.id, d.state]));
  } catch (error) {
    letGo(held.keys(), { finished: false });
    broken = claimed.map((request) => ({ request, error }));
    throw error;
  } finally {
    for (const { request, error } of broken)
      await failClaimed(deps.db, [request], errorText(error), policy).catch(() => {});
  }
}

const errorText = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

async function signClaimed(deps: IssuanceDeps, claimed: readonly ClaimedRequest[], now: Date) {
  const subjects = await findSubjects(deps.db, claimed);
  const today = tokyoDate(now);
  const planned = claimed.map((request) => {
    const subject = subjectOf(subjects, request);
    const config = findDocumentType(request.configurationId);
    const failure: string | null = config ? refusalOf(subject, today) : 'issue_failed';
    const deviceKeys = request.deviceKeys as DeviceJwk[];
    return { request, subject, config, failure, deviceKeys };
  });
  const total = planned.reduce((n, p) => n + (p.failure ? 0 : p.deviceKeys.length), 0);
  let next = total > 0 ? await allocateStatusIndices(deps.db, total, STATUS_LIST_SIZE) : null;
  const credentials: NewIssuedCredential[] = [];
  const finished: Parameters<typeof finishClaimed>[1]['finished'][number][] = [];
  const audits: AuditEntry[] = [];
  const broken: { request: ClaimedRequest; error: unknown }[] = [];
  for (const { request, subject, config, deviceKeys, ...planning } of planned) {
    let failure = planning.failure;
    let issued: NewIssuedCredential[] = [];
    if (!failure) {
      const indices = next!;
      next = { listId: indices.listId, first: indices.first + deviceKeys.length };
      try {
        issued = signAll(deps, config!, subject!, request, deviceKeys, indices, now);
      } catch (error) {
        if (!(error instanceof MdocIssueError || error instanceof DocumentDataError)) {
          broken.push({ request, error });
          continue;
        }
        failure = 'issue_failed';
      }
    }
    credentials.push(...issued);
    finished.push({
      residentId: request.residentId,
      id: request.id,
      attempts: request.attempts,
      state: failure ? 'failed' : 'issued',
      failure,
    });
    audits.push(
      checkedAuditEntry({
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
      }),
    );
  }
  return { finished, credentials, audits, broken };
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
