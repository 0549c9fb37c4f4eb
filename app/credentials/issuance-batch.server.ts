/**
 * The issuance worker's side of mdoc issuance (decision 0060 and its addenda): claimed
 * credential requests are worked in batches — subjects read and checked again, status indices
 * taken, one mdoc signed per proof key, and the results written in one statement, exactly once
 * per request — and the credential requests waiting in this process are handed their
 * credentials. The request side (nonces, requests, collection, notifications) is
 * issuance.service.server.ts.
 */
import type { Db } from '../../db/connection.ts';
import { checkedAuditEntry } from '../audit/audit.service.server.ts';
import type { AuditEntry } from '../audit/audit.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { DocumentDataError, type DocumentTypeConfig } from './doctype.ts';
import { findDocumentType } from './doctypes.ts';
import type { IssuerKeys } from './issuer-keys.server.ts';
import { thumbprintOf, type DeviceJwk } from './key-proof.server.ts';
import { issueMdoc, MdocIssueError } from './mdoc-issue.server.ts';
import { statusListUri } from './status-list.ts';
import {
  announceIssued,
  handOver,
  holdForCollection,
  letGo,
  type Collector,
} from './issuance-wake.server.ts';
import {
  allocateStatusIndices,
  findSubjects,
  type NewIssuedCredential,
} from './issuance.repository.server.ts';
import {
  claimRequests,
  failClaimed,
  finishClaimed,
  type ClaimedRequest,
} from './issuance-queue.repository.server.ts';
import {
  credentialSubject,
  refusalOf,
  STATUS_LIST_SIZE,
  type Subject,
} from './issuance.service.server.ts';

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
