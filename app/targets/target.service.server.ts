/**
 * Finding card-pickup targets (decision 0042): by name in kanji (異体字 folded) or kana
 * (hiragana or katakana, spaces ignored), date of birth in either calendar, application ID,
 * manufacture number or part of the address. Every search reads personal data: it is recorded,
 * with which fields were used and how many were found, never the values.
 */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { normalizeCell } from '../csv/csv-read.ts';
import { parseDateText } from '../i18n/typed-dates.ts';
import { nameCriterion } from './name-search.ts';
import { findTargets, type TargetCriteria } from './target.repository.server.ts';
import type { PickupState } from './target.ts';

export const TARGET_SEARCH_LIMIT = 50;

export type TargetSearch = {
  name?: string;
  birthDate?: string;
  applicationId?: string;
  manufactureNo?: string;
  reservationId?: string;
  state?: PickupState;
  address?: string;
};

export type TargetSearchResult =
  | { outcome: 'found'; targets: Awaited<ReturnType<typeof findTargets>>; more: boolean }
  | { outcome: 'empty' }
  | { outcome: 'bad_date' };

const compact = (value: string) => normalizeCell(value).replace(/[\s\u3000]/g, '');

export async function searchTargets(
  db: Db,
  actor: AuditActor,
  municipalityCode: string,
  search: TargetSearch,
): Promise<TargetSearchResult> {
  const criteria: TargetCriteria = {};
  const name = search.name?.trim();
  if (name) Object.assign(criteria, nameCriterion(name));
  if (search.birthDate?.trim()) {
    const date = parseDateText(search.birthDate);
    if (!date.ok) return { outcome: 'bad_date' };
    criteria.birthDate = date.date;
  }
  if (search.applicationId?.trim()) criteria.applicationId = compact(search.applicationId);
  if (search.manufactureNo?.trim()) criteria.manufactureNo = compact(search.manufactureNo);
  if (search.reservationId?.trim())
    criteria.reservationId = compact(search.reservationId).replace(/-/g, '');
  if (search.state) criteria.state = search.state;
  if (search.address?.trim())
    criteria.addressPart = search.address.normalize('NFKC').replace(/\s/g, '');
  const fields = Object.keys(criteria);
  if (fields.length === 0) return { outcome: 'empty' };

  return db.transaction().execute(async (trx) => {
    const rows = await findTargets(trx, municipalityCode, criteria, TARGET_SEARCH_LIMIT + 1);
    await recordAudit(trx, {
      ...actor,
      action: 'targets.search',
      outcome: 'success',
      details: { fields, found: Math.min(rows.length, TARGET_SEARCH_LIMIT) },
    });
    return {
      outcome: 'found' as const,
      targets: rows.slice(0, TARGET_SEARCH_LIMIT),
      more: rows.length > TARGET_SEARCH_LIMIT,
    };
  });
}

export type PhoneLookup =
  | {
      outcome: 'found';
      targets: {
        id: string;
        applicationId: string;
        reservationId: string | null;
        state: PickupState;
      }[];
    }
  | { outcome: 'incomplete' }
  | { outcome: 'bad_date' };

/**
 * During a phone call: the caller's name, date of birth and address together (all three, so a
 * clerk cannot browse by one of them), recorded as 'targets.lookup' whatever it finds. Answers
 * only what the clerk needs to read out; more than one match means asking more questions.
 */
export async function lookUpTargetByPhone(
  db: Db,
  actor: AuditActor,
  municipalityCode: string,
  caller: { name: string; birthDate: string; address: string },
): Promise<PhoneLookup> {
  if (!caller.name.trim() || !caller.birthDate.trim() || !caller.address.trim())
    return { outcome: 'incomplete' };
  const date = parseDateText(caller.birthDate);
  if (!date.ok) return { outcome: 'bad_date' };
  const criteria: TargetCriteria = {
    ...nameCriterion(caller.name),
    birthDate: date.date,
    addressPart: caller.address.normalize('NFKC').replace(/\s/g, ''),
  };
  return db.transaction().execute(async (trx) => {
    const rows = await findTargets(trx, municipalityCode, criteria, 5);
    await recordAudit(trx, {
      ...actor,
      action: 'targets.lookup',
      outcome: 'success',
      details: { found: rows.length },
    });
    return {
      outcome: 'found' as const,
      targets: rows.map((r) => ({
        id: r.id,
        applicationId: r.applicationId,
        reservationId: r.reservationId,
        state: r.state,
      })),
    };
  });
}
