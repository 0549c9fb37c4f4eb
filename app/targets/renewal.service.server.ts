/**
 * E-certificate renewal targets at the counter: finding them (name in kanji or kana with
 * 異体字 folded, date of birth in either calendar, notice number, resident-register code),
 * reading one, adding a person by hand (moved in), marking renewed, clearing those who moved
 * out or died. Every read of personal data and every change is recorded in its transaction.
 */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { normalizeCell } from '../csv/csv-read.ts';
import { parseDateText } from '../i18n/typed-dates.ts';
import { nameCriterion } from './name-search.ts';
import type { ClearReason, RenewalState } from './renewal.ts';
import type { RenewalRow } from './renewal-csv.ts';
import { compactRegisterCode } from './register-code.ts';
import {
  closeRenewal,
  findActiveByCode,
  findRenewal,
  findRenewals,
  insertManualRenewal,
  type RenewalCriteria,
} from './renewal.repository.server.ts';

export const RENEWAL_SEARCH_LIMIT = 50;

type Staff = AuditActor & { actorId: string };
type Key = { municipalityCode: string; id: string };

export type RenewalSearch = {
  name?: string;
  birthDate?: string;
  noticeNumber?: string;
  /** As printed on the renewal form: any width, with or without hyphens. */
  reservationId?: string;
  registerCode?: string;
  state?: RenewalState;
};

export type RenewalSearchResult =
  | { outcome: 'found'; renewals: Awaited<ReturnType<typeof findRenewals>>; more: boolean }
  | { outcome: 'empty' }
  | { outcome: 'bad_date' };

export async function searchRenewals(
  db: Db,
  actor: AuditActor,
  municipalityCode: string,
  search: RenewalSearch,
): Promise<RenewalSearchResult> {
  const criteria: RenewalCriteria = {};
  const name = search.name?.trim();
  if (name) Object.assign(criteria, nameCriterion(name));
  if (search.birthDate?.trim()) {
    const date = parseDateText(search.birthDate);
    if (!date.ok) return { outcome: 'bad_date' };
    criteria.birthDate = date.date;
  }
  if (search.noticeNumber?.trim())
    criteria.noticeNumber = normalizeCell(search.noticeNumber).replace(/\s/g, '');
  if (search.reservationId?.trim())
    criteria.reservationId = normalizeCell(search.reservationId).replace(/[\s\u3000-]/g, '');
  if (search.registerCode?.trim())
    criteria.residentRegisterCode = compactRegisterCode(search.registerCode);
  const fields = Object.keys(criteria);
  if (fields.length === 0) return { outcome: 'empty' };
  if (search.state) criteria.state = search.state;

  return db.transaction().execute(async (trx) => {
    const rows = await findRenewals(trx, municipalityCode, criteria, RENEWAL_SEARCH_LIMIT + 1);
    await recordAudit(trx, {
      ...actor,
      action: 'renewals.search',
      outcome: 'success',
      details: { fields, found: Math.min(rows.length, RENEWAL_SEARCH_LIMIT) },
    });
    return {
      outcome: 'found' as const,
      renewals: rows.slice(0, RENEWAL_SEARCH_LIMIT),
      more: rows.length > RENEWAL_SEARCH_LIMIT,
    };
  });
}

/** One target and its history, recorded as read. */
export async function readRenewal(db: Db, actor: AuditActor, key: Key) {
  return db.transaction().execute(async (trx) => {
    const found = await findRenewal(trx, key.municipalityCode, key.id);
    if (!found) return null;
    await recordAudit(trx, {
      ...actor,
      action: 'renewals.view',
      targetType: 'renewal_target',
      targetId: key.id,
      outcome: 'success',
    });
    return found;
  });
}

export type AddOutcome = { outcome: 'added'; id: string } | { outcome: 'duplicate'; id: string };

/** A person who moved in, typed by a clerk; one active target per person. */
export async function addRenewalByHand(
  db: Db,
  actor: Staff,
  municipalityCode: string,
  row: RenewalRow,
): Promise<AddOutcome> {
  return db.transaction().execute(async (trx): Promise<AddOutcome> => {
    const existing = await findActiveByCode(trx, municipalityCode, row.residentRegisterCode);
    if (existing) return { outcome: 'duplicate', id: existing.id };
    const { id } = await insertManualRenewal(trx, {
      ...row,
      municipalityCode,
      createdBy: actor.actorId,
    });
    await recordAudit(trx, {
      ...actor,
      action: 'renewals.add',
      targetType: 'renewal_target',
      targetId: id,
      outcome: 'success',
    });
    return { outcome: 'added', id };
  });
}

export type CloseOutcome = { outcome: 'renewed' | 'cleared' | 'not_active' | 'not_found' };

/**
 * Renewed, or cleared with the reason: once, from active only. A second press (another tab,
 * another clerk) answers "not active" and changes nothing.
 */
export async function closeRenewalTarget(
  db: Db,
  actor: Staff,
  key: Key,
  change: { state: 'renewed' } | { state: 'cleared'; reason: ClearReason; note: string | null },
  now = new Date(),
): Promise<CloseOutcome> {
  return db.transaction().execute(async (trx): Promise<CloseOutcome> => {
    const closed = await closeRenewal(trx, key, { ...change, by: actor.actorId, at: now });
    if (!closed) {
      const exists = await findRenewal(trx, key.municipalityCode, key.id);
      return { outcome: exists ? 'not_active' : 'not_found' };
    }
    await recordAudit(trx, {
      ...actor,
      action: change.state === 'renewed' ? 'renewals.renew' : 'renewals.clear',
      targetType: 'renewal_target',
      targetId: key.id,
      outcome: 'success',
      details: change.state === 'cleared' ? { reason: change.reason } : undefined,
    });
    return { outcome: change.state };
  });
}
