/**
 * Facilities as staff keep them (issue 12): details, opening hours, the map image and the
 * city's closed days. Every change is audited in its own transaction.
 */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { tokyoDate } from '../i18n/dates.ts';
import {
  deleteClosedDay,
  findFacility,
  findMap,
  hoursOf,
  insertClosedDay,
  insertFacility,
  listClosedDays,
  listFacilities,
  replaceHours,
  setArchived,
  setMap,
  updateFacility,
} from './facility.repository.server.ts';
import type { FacilityInput } from './facility.schema.ts';
import { MAP_MAX_BYTES, sniffImage, WEEKDAYS, type Span } from './facility.ts';

export type Staff = { actor: AuditActor; municipalityCode: string };
const staffId = (staff: Staff) => staff.actor.actorId;

export const facilities = (db: Db, code: string) => listFacilities(db, code);

export async function facilityDetail(db: Db, code: string, id: string) {
  const facility = await findFacility(db, code, id);
  if (!facility) return null;
  return { ...facility, hours: await hoursOf(db, code, id) };
}

async function audit(
  db: Parameters<typeof recordAudit>[0],
  staff: Staff,
  action: string,
  targetType: string,
  targetId: string,
  details: Record<string, unknown> = {},
) {
  await recordAudit(db, {
    ...staff.actor,
    action,
    targetType,
    targetId,
    outcome: 'success',
    details,
  });
}

export async function createFacility(db: Db, staff: Staff, input: FacilityInput) {
  return db.transaction().execute(async (trx) => {
    const id = await insertFacility(trx, staff.municipalityCode, input);
    await audit(trx, staff, 'reservations.facility_create', 'facility', id, { name: input.nameJa });
    return id;
  });
}

export async function editFacility(db: Db, staff: Staff, id: string, input: FacilityInput) {
  return db.transaction().execute(async (trx) => {
    const done = await updateFacility(trx, staff.municipalityCode, id, input);
    if (!done.numUpdatedRows) return false;
    await audit(trx, staff, 'reservations.facility_edit', 'facility', id, { name: input.nameJa });
    return true;
  });
}

export async function archiveFacility(db: Db, staff: Staff, id: string, archived: boolean) {
  return db.transaction().execute(async (trx) => {
    const done = await setArchived(trx, staff.municipalityCode, id, archived);
    if (!done.numUpdatedRows) return false;
    const action = archived ? 'reservations.facility_archive' : 'reservations.facility_restore';
    await audit(trx, staff, action, 'facility', id);
    return true;
  });
}

/** Opening hours keyed `w1`…`w7`; replaces every span at once. */
export async function setHours(
  db: Db,
  staff: Staff,
  id: string,
  week: Record<`w${number}`, Span[]>,
) {
  const hours = WEEKDAYS.flatMap((weekday) =>
    (week[`w${weekday}`] ?? []).map((s) => ({ weekday, ...s })),
  );
  return db.transaction().execute(async (trx) => {
    if (!(await findFacility(trx, staff.municipalityCode, id))) return false;
    await replaceHours(trx, staff.municipalityCode, id, hours);
    await audit(trx, staff, 'reservations.hours_set', 'facility', id, {
      spans: hours.map((h) => `${h.weekday} ${h.opens}-${h.closes}`),
    });
    return true;
  });
}

export type MapOutcome =
  | { outcome: 'saved' }
  | { outcome: 'removed' }
  | { outcome: 'too_large' }
  | { outcome: 'not_an_image' }
  | { outcome: 'not_found' };

/** Stores a map image if its bytes are PNG, JPEG or WebP; the browser's type is not trusted. */
export async function uploadMap(
  db: Db,
  staff: Staff,
  id: string,
  bytes: Uint8Array | null,
): Promise<MapOutcome> {
  if (bytes && bytes.byteLength > MAP_MAX_BYTES) return { outcome: 'too_large' };
  const contentType = bytes ? sniffImage(bytes) : null;
  if (bytes && !contentType) return { outcome: 'not_an_image' };
  return db.transaction().execute(async (trx): Promise<MapOutcome> => {
    const map = bytes && contentType ? { bytes, contentType } : null;
    const done = await setMap(trx, staff.municipalityCode, id, map);
    if (!done.numUpdatedRows) return { outcome: 'not_found' };
    await audit(
      trx,
      staff,
      map ? 'reservations.map_upload' : 'reservations.map_remove',
      'facility',
      id,
      {
        ...(map ? { contentType: map.contentType, bytes: map.bytes.byteLength } : {}),
      },
    );
    return { outcome: map ? 'saved' : 'removed' };
  });
}

export async function facilityMap(db: Db, code: string, id: string) {
  const row = await findMap(db, code, id);
  if (!row?.mapImage || !row.mapContentType) return null;
  return { bytes: row.mapImage, contentType: row.mapContentType, updatedAt: row.updatedAt };
}

export const closedDays = (db: Db, code: string, now = new Date()) =>
  listClosedDays(db, code, tokyoDate(now));

export async function addClosedDay(
  db: Db,
  staff: Staff,
  day: { day: string; reasonJa: string; reasonEn: string },
) {
  return db.transaction().execute(async (trx) => {
    const added = await insertClosedDay(trx, staff.municipalityCode, {
      day: day.day,
      reasonJa: day.reasonJa,
      reasonEn: day.reasonEn,
      createdBy: staffId(staff),
    });
    if (!added) return false;
    await audit(trx, staff, 'reservations.closed_day_add', 'booking_closed_day', day.day, {
      reasonJa: day.reasonJa,
    });
    return true;
  });
}

export async function removeClosedDay(db: Db, staff: Staff, day: string) {
  return db.transaction().execute(async (trx) => {
    if (!(await deleteClosedDay(trx, staff.municipalityCode, day))) return false;
    await audit(trx, staff, 'reservations.closed_day_remove', 'booking_closed_day', day);
    return true;
  });
}
