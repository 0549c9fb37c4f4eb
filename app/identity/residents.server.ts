import type { Selectable } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { ResidentTable } from '../../db/schema.ts';
import { foldNameVariants } from './name-variants.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import type { PgBoss } from 'pg-boss';
import { inTransaction } from '../platform/transaction.server.ts';
import {
  CREDENTIAL_FIELDS,
  revokeForRecordChange,
} from '../credentials/revocation.service.server.ts';
import {
  lockResidentsByCode,
  findResidentById,
  findResidentsMatching,
  upsertResidentRows,
} from './resident.repository.server.ts';

/** A resident as the register sends it (what upsertResidents stores). */
export type ResidentInput = Omit<
  Selectable<ResidentTable>,
  'id' | 'nameSearch' | 'createdAt' | 'updatedAt'
>;

/**
 * Residents as delivered by the resident register: insert or update by register code. When
 * data a mobile credential carries changed, the resident's live credentials are revoked in
 * the same transaction (decision 0062); `boss` lets the app's push go out.
 */
export function upsertResidents(
  db: Db,
  residents: ResidentInput[],
  options: { boss?: PgBoss } = {},
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const before = await lockResidentsByCode(
      trx,
      residents.map((r) => r.registerCode),
    );
    const written = await upsertResidentRows(trx, residents);
    const changed = residents.flatMap((r) => {
      const old = before.get(r.registerCode);
      return old && CREDENTIAL_FIELDS.some((f) => (old[f] ?? null) !== (r[f] ?? null))
        ? [old.id]
        : [];
    });
    if (changed.length > 0) await revokeForRecordChange(trx, changed, options);
    return written;
  });
}

export function findResident(db: Db, residentId: string) {
  return findResidentById(db, residentId);
}

/**
 * Staff search: by name (kanji, kana or Latin, partial; kanji with their 異体字 folded, so
 * 山崎 finds 山﨑), birth date, register code or card manufacture number. At most `limit`
 * rows, by kana order.
 */
export function searchResidents(db: Db, query: { text?: string; birthDate?: string }, limit = 50) {
  const typed = query.text?.trim().normalize('NFKC');
  const compact = typed?.replace(/\s+/g, '');
  return findResidentsMatching(db, {
    text: typed && compact ? { typed, compact, folded: foldNameVariants(compact) } : undefined,
    birthDate: query.birthDate,
    limit,
  });
}

/** Kana readings are stored in katakana; staff often type hiragana. */
const toKatakana = (text: string) =>
  text.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));

/**
 * The staff search page: searchResidents with the text as typed and, when it has hiragana, in
 * katakana too, merged in kana order (up to `limit` + 1 rows, so the caller can tell there are
 * more). Recorded ('resident.search') with which fields were used and how many were found,
 * never what was typed: the log must not become a name index.
 */
export async function searchResidentsForStaff(
  db: Db,
  actor: AuditActor,
  query: { text: string; birthDate?: string },
  limit: number,
) {
  const kana = toKatakana(query.text);
  const [found, foundAsKana] = await Promise.all([
    searchResidents(db, query, limit + 1),
    kana !== query.text ? searchResidents(db, { ...query, text: kana }, limit + 1) : [],
  ]);
  const byId = new Map([...found, ...foundAsKana].map((r) => [r.id, r]));
  const rows = [...byId.values()].sort((a, b) => a.nameKana.localeCompare(b.nameKana, 'ja'));
  await recordAudit(db, {
    ...actor,
    action: 'resident.search',
    targetType: 'resident',
    outcome: 'success',
    details: {
      fields: [query.text ? 'text' : null, query.birthDate ? 'birthDate' : null].filter(Boolean),
      results: Math.min(rows.length, limit),
    },
  });
  return rows;
}

/** Staff open a resident's record ('resident.view'); undefined when there is no such resident. */
export async function viewResident(db: Db, actor: AuditActor, residentId: string) {
  const resident = await findResident(db, residentId);
  if (!resident) return undefined;
  await recordAudit(db, {
    ...actor,
    onBehalfOfResidentId: resident.id,
    action: 'resident.view',
    targetType: 'resident',
    targetId: resident.id,
    outcome: 'success',
  });
  return resident;
}
