/**
 * Revoking issued credentials (decision 0062). One transaction per revocation: the resident's
 * live credentials locked and marked revoked (the status list served from issued_credential
 * shows it from then on), audited, and the resident told — a targeted notice whose push
 * reaches the browsers they subscribed (the notices' push fan-out), and a `credential_revoked`
 * push to their apps' registrations instead of the notice's. Revoking what is
 * already revoked changes nothing and says so.
 *
 * The register feed calls the automatic revocations here in its own transaction: a card
 * reissued, the registration ended, or the record data an mdoc carries changed.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { inTransaction } from '../platform/transaction.server.ts';
import { publishNotice } from '../notices/notice.service.server.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import { credentialRevokedPushQueue } from './credentials.queues.ts';
import ja from '../locales/ja/credentials.ts';
import en from '../locales/en/credentials.ts';
import { REISSUE_OFFERED, type RevocationReason } from './revocation.ts';
import {
  findCredentialsOfResident,
  findOwnCredentialIds,
  insertRegisterEnd,
  revokeActive,
  upsertResidentCard,
} from './revocation.repository.server.ts';

/** The resident is told for this long (the notice expires from the inbox then). */
const NOTICE_DAYS = 30;

export type RevokeInput = {
  residentId: string;
  /** The credentials to revoke, or all of the resident's live ones. */
  credentials: { ids: string[] } | 'all';
  reason: RevocationReason;
  /** For staff_other: the staff member's words (1–500 characters). */
  note?: string | null;
};

export type RevokeResult =
  /** Some were revoked now. */
  | { outcome: 'revoked'; revoked: string[] }
  /** Nothing left to revoke: every one named (or every one the resident has) was revoked before. */
  | { outcome: 'unchanged'; revoked: [] }
  /** A credential named is not the resident's (or does not exist). */
  | { outcome: 'not_found'; revoked: [] };

type Options = { boss?: PgBoss; now?: Date };

/** Data an mdoc carries (decision 0058): a change to any of them revokes the live credentials. */
export const CREDENTIAL_FIELDS = [
  'name',
  'nameKana',
  'nameLatin',
  'birthDate',
  'sex',
  'address',
  'municipalityName',
] as const;

/**
 * Revokes the resident's live credentials named (or all) with a reason, in one transaction
 * (the caller's, if `db` is one). The actor's account is recorded as who revoked (none for
 * the system). Idempotent: a second call finds nothing live and answers `unchanged`.
 */
export async function revokeCredentials(
  db: Db | Transaction<Database>,
  actor: AuditActor,
  input: RevokeInput,
  options: Options & { auditUnchanged?: boolean } = {},
): Promise<RevokeResult> {
  const now = options.now ?? new Date();
  const note = input.reason === 'staff_other' ? (input.note?.trim() ?? '') : null;
  if (note !== null && (note.length < 1 || note.length > 500))
    throw new Error('staff_other needs a note of 1 to 500 characters');
  return inTransaction(db, async (trx) => {
    if (input.credentials !== 'all') {
      const ids = [...new Set(input.credentials.ids)];
      const own = await findOwnCredentialIds(trx, input.residentId, ids);
      if (ids.length === 0 || own.length !== ids.length)
        return { outcome: 'not_found' as const, revoked: [] as [] };
    }
    const revoked = await revokeActive(trx, input.residentId, input.credentials, {
      reason: input.reason,
      note,
      by: actor.actorType === 'staff' || actor.actorType === 'resident' ? actor.actorId : null,
      at: now,
    });
    // The register's automatic revocations record only what they changed.
    if (revoked.length === 0 && options.auditUnchanged === false)
      return { outcome: 'unchanged' as const, revoked: [] as [] };
    await recordAudit(trx, {
      ...actor,
      onBehalfOfResidentId: input.residentId,
      action: 'credential.revoke',
      targetType: 'resident',
      targetId: input.residentId,
      outcome: 'success',
      details: {
        reason: input.reason,
        scope: input.credentials === 'all' ? 'all' : 'some',
        credentials: revoked,
        ...(revoked.length === 0 ? { unchanged: true } : {}),
      },
    });
    if (revoked.length === 0) return { outcome: 'unchanged' as const, revoked: [] as [] };
    await tellResident(trx, input.residentId, input.reason, revoked, now, options.boss);
    return { outcome: 'revoked' as const, revoked };
  });
}

/**
 * The resident hears it through the app: a notice for them alone (in the portal inbox too),
 * whose push goes to the browsers they subscribed, and a `credential_revoked` push (naming the
 * notice) to their apps' registrations that the app acts on and shows. Each device gets one
 * push per revocation; one notice per revocation (idempotency key from the revoked ids).
 */
async function tellResident(
  trx: Transaction<Database>,
  residentId: string,
  reason: RevocationReason,
  revoked: string[],
  now: Date,
  boss: PgBoss | undefined,
): Promise<void> {
  const reissue = REISSUE_OFFERED.includes(reason);
  const text = (s: typeof en) => ({
    title: s.notice.title,
    body: s.notice.body.replace('{{why}}', reissue ? s.notice.reissue : s.notice.noReissue),
  });
  const jaText = text(ja);
  const enText = text(en);
  const key = createHash('sha256')
    .update([...revoked].sort().join(','))
    .digest('base64url');
  const notice = await publishNotice(
    trx as unknown as Db,
    {
      audience: { type: 'list', residentIds: [residentId] },
      sender: 'municipality',
      titleJa: jaText.title,
      bodyJa: jaText.body,
      titleEn: enText.title,
      bodyEn: enText.body,
      publishAt: now,
      expiresAt: new Date(now.getTime() + NOTICE_DAYS * 86_400_000),
      createdBy: null,
      idempotencyKey: `credential-revoked:${key}`,
      // Apps hear of it by `credential_revoked` alone: one push per revocation on each device.
      pushApps: false,
    },
    { boss },
  );
  // The app's own push (decision 0062 addendum): what was revoked and whether to ask again.
  if (boss && notice.created)
    await enqueue(boss, trx, credentialRevokedPushQueue, {
      residentId,
      noticeId: notice.id,
      credentialIds: revoked,
      reissueAvailable: reissue,
    });
}

const registerActor = (residentId: string): AuditActor => ({
  actorType: 'system',
  actorId: 'register',
  onBehalfOfResidentId: residentId,
  ip: null,
});

/**
 * The register gives the resident's card: stored, and when it is a new card (another issue
 * date than the one on record) the live credentials made from the old one are revoked
 * (card_reissued) in the same transaction.
 */
export async function recordResidentCard(
  db: Db | Transaction<Database>,
  card: { residentId: string; issuedOn: string; expiresOn: string },
  options: Options = {},
): Promise<{ revoked: string[] }> {
  return inTransaction(db, async (trx) => {
    const { previousIssuedOn } = await upsertResidentCard(trx, card);
    if (previousIssuedOn === null || previousIssuedOn === card.issuedOn) return { revoked: [] };
    return revokeIfAny(trx, card.residentId, 'card_reissued', options);
  });
}

/** The register ends the resident's registration: no new credential, the live ones revoked. */
export async function recordRegisterEnd(
  db: Db | Transaction<Database>,
  end: { residentId: string; reason: 'moved_out' | 'died'; endedOn: string },
  options: Options = {},
): Promise<{ revoked: string[] }> {
  return inTransaction(db, async (trx) => {
    await insertRegisterEnd(trx, end);
    return revokeIfAny(trx, end.residentId, end.reason, options);
  });
}

/**
 * The register changed data an mdoc carries (name, address, date of birth, sex): the
 * resident's live credentials are revoked (record_changed); the app may ask for a new one.
 * Called by the register import in its transaction (upsertResidents).
 */
export async function revokeForRecordChange(
  trx: Transaction<Database>,
  residentIds: string[],
  options: Options = {},
): Promise<void> {
  for (const residentId of residentIds)
    await revokeIfAny(trx, residentId, 'record_changed', options);
}

async function revokeIfAny(
  trx: Transaction<Database>,
  residentId: string,
  reason: RevocationReason,
  options: Options,
): Promise<{ revoked: string[] }> {
  const result = await revokeCredentials(
    trx,
    registerActor(residentId),
    { residentId, credentials: 'all', reason },
    { ...options, auditUnchanged: false },
  );
  return { revoked: result.revoked };
}

export function credentialsOfResident(db: Db, residentId: string) {
  return findCredentialsOfResident(db, residentId);
}
