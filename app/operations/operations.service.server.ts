import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PgBoss } from 'pg-boss';
import { resendDeadLetter } from '../../jobs/dead-letters.ts';
import type { AuditActor } from '../audit/audit.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { Db } from '../../db/connection.ts';
import type { BackupSettings } from './backup-settings.ts';
import { listBackups, type BackupVerification } from './backup.service.server.ts';
import { serverVersion } from './operations.repository.server.ts';
import {
  ISSUE_QUEUE,
  countIssuanceQueue,
  findDeadRequests,
  reviveRequest,
} from '../credentials/issuance-queue.repository.server.ts';
import type { OperationOutcome } from './operation-run.ts';
import { lastBackupOutcome, lastVerifyOutcome } from './operation-run.service.server.ts';

/** The recorded runs, or none when the database cannot be read (the page still answers). */
export async function recordedRuns(db: Db): Promise<RecordedRuns> {
  const [backup, verify] = await Promise.all([
    lastBackupOutcome(db).catch(() => null),
    lastVerifyOutcome(db).catch(() => null),
  ]);
  return { backup, verify };
}

/**
 * What the operations page and /metrics tell an operator (decision 0063): the backups'
 * state, the job queues and their dead letters, and the retry of a dead letter.
 */

export type BackupRow = {
  id: string;
  finishedAt: string;
  ageSeconds: number;
  bytes: number;
  encrypted: boolean;
  verification: BackupVerification | null;
};

export type BackupStatus = {
  enabled: boolean;
  /** Newest first. */
  backups: BackupRow[];
  /** Seconds since the newest backup that was not found broken, or null without one. */
  lastSuccessAgeSeconds: number | null;
  /** The newest backup run: true taken and verified (or not yet verified), false failed. */
  lastResult: boolean | null;
  /** The most recent verification of any backup. */
  lastVerification: BackupVerification | null;
  /** The newest run failed before it left a backup (a full disk): when and why. */
  lastFailure: { at: string; detail: string } | null;
};

/** The runs the jobs recorded in the database (decision 0064), when it can be read. */
export type RecordedRuns = {
  backup: OperationOutcome | null;
  verify: OperationOutcome | null;
};

/**
 * Read from the backup folder's manifests (decision 0061), so it answers with the database
 * down; the runs recorded in the database add what left no manifest: a backup that failed
 * (a full disk) and the weekly restore check.
 */
export function backupStatus(
  settings: BackupSettings,
  now: Date = new Date(),
  runs: RecordedRuns = { backup: null, verify: null },
): BackupStatus {
  const backups = listBackups(settings)
    .map(({ manifest, bytes, verification }): BackupRow => ({
      id: manifest.id,
      finishedAt: manifest.finishedAt,
      ageSeconds: Math.max(0, (now.getTime() - Date.parse(manifest.finishedAt)) / 1000),
      bytes,
      encrypted: manifest.encrypted,
      verification,
    }))
    .reverse();
  const good = backups.find((b) => b.verification?.ok !== false);
  const newest = backups[0];
  let lastVerification =
    backups
      .map((b) => b.verification)
      .filter((v): v is BackupVerification => v !== null)
      .sort((a, b) => b.at.localeCompare(a.at))[0] ?? null;
  const verify = runs.verify;
  if (verify && (!lastVerification || verify.finishedAt.toISOString() > lastVerification.at))
    lastVerification = {
      at: verify.finishedAt.toISOString(),
      ok: verify.ok,
      detail: verify.detail,
    };
  const failed = runs.backup && !runs.backup.ok ? runs.backup : null;
  const failedSinceNewest =
    failed && (!newest || failed.finishedAt.getTime() > Date.parse(newest.finishedAt));
  return {
    enabled: settings.enabled,
    backups,
    lastSuccessAgeSeconds: good ? good.ageSeconds : null,
    lastResult: failedSinceNewest ? false : newest ? newest.verification?.ok !== false : null,
    lastVerification,
    lastFailure:
      failedSinceNewest && failed
        ? { at: failed.finishedAt.toISOString(), detail: failed.detail }
        : null,
  };
}

export type QueueRow = {
  name: string;
  queued: number;
  active: number;
  deferred: number;
  failed: number;
  deadLetters: number;
};

export type DeadLetter = {
  id: string;
  queue: string;
  failedAt: string;
  retries: number;
  error: string;
};

const DEAD = '.dead';
const ERROR_LENGTH = 300;
const DEAD_LETTERS_SHOWN = 50;

/** The failed job's last error message, short (no stack: it names our files, not the cause). */
function lastError(output: object | null): string {
  if (!output) return '';
  const message =
    'message' in output && typeof output.message === 'string'
      ? output.message
      : JSON.stringify(output);
  return message.length > ERROR_LENGTH ? `${message.slice(0, ERROR_LENGTH)}…` : message;
}

/**
 * Every queue with pg-boss's counts (kept by its monitor, so up to a minute behind), and the
 * dead letters waiting, read from the dead-letter queues themselves (oldest first). The
 * credential requests, their own queue (decision 0060 addendum), are listed among them as
 * `credentials.issue`, counted from the request rows, their dead requests as its dead letters.
 */
export async function jobQueues(
  boss: PgBoss,
  db: Db,
): Promise<{ queues: QueueRow[]; deadLetters: DeadLetter[] }> {
  // A pg-boss queue of that name left from before migration 0049 holds nothing to work.
  const all = (await boss.getQueues()).filter(
    (q) => !q.name.endsWith(DEAD) && q.name !== ISSUE_QUEUE,
  );
  const deadLetters: DeadLetter[] = [];
  const queues: QueueRow[] = [await issuanceQueueRow(db, deadLetters)];
  for (const q of all.sort((a, b) => a.name.localeCompare(b.name))) {
    // Queues made outside createQueue (pg-boss's own, a test's) may have no dead letters.
    const jobs = q.deadLetter
      ? await boss.findJobs(q.deadLetter, { queued: true, limit: DEAD_LETTERS_SHOWN })
      : [];
    queues.push({
      name: q.name,
      queued: q.readyCount,
      active: q.activeCount,
      deferred: q.deferredCount,
      failed: q.failedCount,
      deadLetters: jobs.length,
    });
    for (const job of jobs)
      deadLetters.push({
        id: job.id,
        queue: q.name,
        failedAt: job.createdOn.toISOString(),
        retries: job.sourceRetryCount ?? 0,
        error: lastError(job.sourceOutput),
      });
  }
  queues.sort((a, b) => a.name.localeCompare(b.name));
  return { queues, deadLetters };
}

async function issuanceQueueRow(db: Db, deadLetters: DeadLetter[]): Promise<QueueRow> {
  const [counts, dead] = await Promise.all([
    countIssuanceQueue(db),
    findDeadRequests(db, DEAD_LETTERS_SHOWN),
  ]);
  for (const request of dead)
    deadLetters.push({
      id: request.id,
      queue: ISSUE_QUEUE,
      failedAt: request.deadAt.toISOString(),
      retries: Math.max(0, request.attempts - 1),
      error: lastError(request.lastError === null ? null : { message: request.lastError }),
    });
  return {
    name: ISSUE_QUEUE,
    queued: counts.queued,
    active: counts.active,
    deferred: counts.deferred,
    failed: counts.dead,
    deadLetters: dead.length,
  };
}

/**
 * Sends a dead letter back to its queue and removes it from the dead letters, in one
 * transaction with its audit entry. A second submit of the same retry finds nothing to
 * remove (the row is locked by the first, then gone) and sends nothing.
 */
export async function retryDeadLetter(
  db: Db,
  boss: PgBoss,
  actor: AuditActor,
  target: { queue: string; jobId: string },
): Promise<{ outcome: 'retried'; jobId: string } | { outcome: 'gone' }> {
  if (target.queue === ISSUE_QUEUE) return retryDeadRequest(db, actor, target.jobId);
  const queues = await boss.getQueues();
  if (!queues.some((q) => q.name === target.queue) || target.queue.endsWith(DEAD))
    return { outcome: 'gone' };
  return db.transaction().execute(async (trx) => {
    const sent = await resendDeadLetter(boss, trx, target.queue, target.jobId);
    if (!sent) return { outcome: 'gone' as const };
    const { jobId } = sent;
    await recordAudit(trx, {
      ...actor,
      action: 'operations.dead_letter_retry',
      targetType: 'job',
      targetId: sent.deadJobId,
      outcome: 'success',
      details: { queue: target.queue, newJobId: jobId },
    });
    return { outcome: 'retried' as const, jobId };
  });
}

/**
 * A dead credential request back to its queue (pending with fresh attempts; the workers are
 * woken at commit), in one transaction with its audit entry, like a dead letter's retry.
 */
async function retryDeadRequest(
  db: Db,
  actor: AuditActor,
  requestId: string,
): Promise<{ outcome: 'retried'; jobId: string } | { outcome: 'gone' }> {
  return db.transaction().execute(async (trx) => {
    const revived = await reviveRequest(trx, requestId);
    if (!revived) return { outcome: 'gone' as const };
    await recordAudit(trx, {
      ...actor,
      action: 'operations.dead_letter_retry',
      targetType: 'credential_issuance_request',
      targetId: revived.id,
      outcome: 'success',
      details: { queue: ISSUE_QUEUE, lastError: revived.lastError },
    });
    return { outcome: 'retried' as const, jobId: revived.id };
  });
}

const started = new Date(Date.now() - process.uptime() * 1000);
let appVersion: string | undefined;

/** Versions and uptime of this process, for the operations page. */
export async function serviceFacts(db: Db) {
  appVersion ??= (JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string })
    .version;
  return {
    version: appVersion,
    node: process.version.replace(/^v/, ''),
    postgres: await serverVersion(db),
    startedAt: started,
    uptimeSeconds: process.uptime(),
  };
}
