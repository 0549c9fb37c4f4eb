/**
 * What staff do to notices, and a proxy's first opening of one, each recorded in the
 * transaction that makes the change (the audit log's actions 'notice.*').
 */
import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import type { Locale } from '../i18n/locales.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import {
  openNotice,
  publishNotice,
  withdrawNotice,
  type NewNotice,
} from './notice.service.server.ts';

/**
 * Staff publish (or schedule) a notice; 'notice.publish' commits with it. A repeated form
 * (same idempotency key) lands on the first notice and records nothing. `municipalityResidents`
 * is the audience size staff were shown for a municipality (a list's is its recipients).
 */
export async function publishNoticeByStaff(
  db: Db,
  actor: AuditActor,
  input: NewNotice,
  options: { boss?: PgBoss; scheduled: boolean; municipalityResidents?: number },
): Promise<{ id: string; created: boolean; recipients: number }> {
  return db.transaction().execute(async (trx) => {
    const published = await publishNotice(trx, input, { boss: options.boss });
    if (published.created)
      await recordAudit(trx, {
        ...actor,
        action: 'notice.publish',
        targetType: 'notice',
        targetId: published.id,
        outcome: 'success',
        details: {
          audience: input.audience.type,
          size:
            input.audience.type === 'list'
              ? published.recipients
              : input.audience.type === 'municipality'
                ? (options.municipalityResidents ?? null)
                : null,
          scheduled: options.scheduled,
          publishAt: input.publishAt.toISOString(),
        },
      });
    return published;
  });
}

/**
 * Staff withdraw a notice; withdrawing twice is harmless: the second changes nothing and
 * records nothing.
 */
export async function withdrawNoticeByStaff(
  db: Db,
  actor: AuditActor,
  notice: { id: string; status: string; audience: string },
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await withdrawNotice(trx, notice.id, now))) return false;
    await recordAudit(trx, {
      ...actor,
      action: 'notice.withdraw',
      targetType: 'notice',
      targetId: notice.id,
      outcome: 'success',
      details: { previousStatus: notice.status, audience: notice.audience },
    });
    return true;
  });
}

/**
 * openNotice for the resident or their proxy. A proxy's first opening of a notice is recorded
 * ('notice.open') in the transaction that records the opening; a resident's own reading is not
 * audited and keeps openNotice's single statement.
 */
export async function openNoticeAs(
  db: Db,
  access: { residentId: string; viaProxy: boolean; actor: AuditActor },
  noticeId: string,
  locale: Locale,
) {
  const input = { residentId: access.residentId, noticeId, locale };
  if (!access.viaProxy) return openNotice(db, input);
  return db.transaction().execute(async (trx) => {
    const notice = await openNotice(trx, input);
    if (notice?.firstOpen)
      await recordAudit(trx, {
        ...access.actor,
        action: 'notice.open',
        targetType: 'notice',
        targetId: notice.id,
        outcome: 'success',
      });
    return notice;
  });
}
