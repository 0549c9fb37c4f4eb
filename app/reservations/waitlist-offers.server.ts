/**
 * Offering freed places to the waitlist (decision 0054), inside the transaction that frees
 * them: a cancellation, a change away from a slot, an offer declined or expired. The first
 * waiting entry that fits gets the places HELD for it (taken with the same conditional update
 * as a booking, so nobody else can take them and the slot's CHECK keeps holding) and an email
 * in its language. An entry that can no longer book (the deadline passed, a member booked
 * elsewhere) is dropped from the line on the way.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { formatDateTime, tokyoDate } from '../i18n/dates.ts';
import { translator } from '../i18n/i18next.server.ts';
import { queueMail } from '../mail/mail.service.server.ts';
import { renderMail } from '../mail/render.ts';
import type { BookingMailer } from './booking-mail.server.ts';
import { DEFAULT_RULES, type AppointmentKind } from './booking-rules.ts';
import { bookingDeadline } from './working-days.server.ts';
import { BOOKING_PATH } from './booking.ts';
import {
  activeMemberships,
  cityClosedDays,
  findSlotForBooking,
  releasePlaces,
  rulesFor,
  takePlaces,
} from './booking.repository.server.ts';
import {
  endEntry,
  lockedLine,
  lockedLiveEntriesOf,
  lockedLiveEntriesOfSlot,
  markOffered,
} from './waitlist.repository.server.ts';
import { DEFAULT_HOLD_HOURS, offerExpiry } from './waitlist.ts';

const SYSTEM: AuditActor = {
  actorType: 'system',
  actorId: null,
  onBehalfOfResidentId: null,
  ip: null,
};

/** When an offer of a slot made now expires under the kind's rules; null past the deadline. */
async function offerEnd(
  trx: Transaction<Database>,
  code: string,
  kind: AppointmentKind,
  startsAt: Date,
  now: Date,
) {
  const row = await rulesFor(trx, code, kind);
  const rules = row ? { ...row, deadlineTime: row.deadlineTime.slice(0, 5) } : DEFAULT_RULES;
  const day = tokyoDate(startsAt);
  const closed = await cityClosedDays(trx, code, tokyoDate(now), day);
  const deadline = bookingDeadline(day, rules, closed);
  return offerExpiry(now, deadline, row?.waitlistHoldHours ?? DEFAULT_HOLD_HOURS);
}

/**
 * Offers the free places of a slot to its line, oldest first, each to the first entry that
 * fits. Returns the ids of the entries offered. Nothing for a closed, unpublished or past slot.
 */
export async function offerFreedPlaces(
  trx: Transaction<Database>,
  mailer: BookingMailer,
  code: string,
  slotId: string,
  now = new Date(),
): Promise<string[]> {
  const slot = await findSlotForBooking(trx, code, slotId);
  if (!slot || slot.closedAt || slot.archivedAt || !slot.published) return [];
  if (slot.startsAt.getTime() <= now.getTime() || slot.taken >= slot.capacity) return [];
  let free = slot.capacity - slot.taken;
  const offered: string[] = [];
  for (const entry of await lockedLine(trx, code, slotId)) {
    if (free <= 0) break;
    const expiresAt = await offerEnd(trx, code, entry.kind, slot.startsAt, now);
    const targetIds = entry.members.map((m) => m.targetId);
    if (!expiresAt || (await activeMemberships(trx, code, targetIds)).length > 0) {
      await endEntry(trx, code, entry.id, 'dropped', ['waiting']);
      continue;
    }
    if (entry.places > free || !(await takePlaces(trx, code, slotId, entry.places))) continue;
    free -= entry.places;
    await markOffered(trx, code, entry.id, now, expiresAt);
    await recordAudit(trx, {
      ...SYSTEM,
      action: 'reservations.waitlist_offer',
      targetType: 'booking_waitlist',
      targetId: entry.id,
      outcome: 'success',
      details: { slotId, places: entry.places, expiresAt: expiresAt.toISOString() },
    });
    await queueLineMail(
      trx,
      mailer,
      code,
      {
        id: entry.id,
        email: entry.email,
        locale: entry.locale,
        places: entry.places,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        facilityId: slot.facilityId,
      },
      { kind: 'offered', expiresAt },
    );
    offered.push(entry.id);
  }
  return offered;
}

/** Gives back the places a (formerly) offered entry held and offers them to the next. */
export async function releaseHold(
  trx: Transaction<Database>,
  code: string,
  entry: { slotId: string; places: number },
  mailer: BookingMailer | undefined,
  now = new Date(),
): Promise<void> {
  await releasePlaces(trx, code, entry.slotId, entry.places);
  if (mailer) await offerFreedPlaces(trx, mailer, code, entry.slotId, now);
}

/**
 * The targets of a booking just made leave every other line they stood in (dropped); a held
 * offer among them gives its places back to that slot's line.
 */
export async function dropEntriesOfBooked(
  trx: Transaction<Database>,
  code: string,
  targetIds: readonly string[],
  exceptEntry: string | null,
  mailer: BookingMailer | undefined,
  now = new Date(),
): Promise<void> {
  for (const entry of await lockedLiveEntriesOf(trx, code, targetIds, exceptEntry)) {
    await endEntry(trx, code, entry.id, 'dropped', ['waiting', 'offered']);
    if (entry.status === 'offered') await releaseHold(trx, code, entry, mailer, now);
  }
}

/**
 * A slot closed by staff: its whole line is dropped and held places given back. With a
 * mailer, everyone dropped is told in their language that the time was closed (the staff's
 * message as the reason) and how to book another, once per entry (decision 0054 addendum).
 */
export async function dropLineOfSlot(
  trx: Transaction<Database>,
  code: string,
  slotId: string,
  closing: { mailer?: BookingMailer; message: string | null } = { message: null },
): Promise<number> {
  const entries = await lockedLiveEntriesOfSlot(trx, code, slotId);
  const slot = entries.length > 0 ? await findSlotForBooking(trx, code, slotId) : undefined;
  for (const entry of entries) {
    await endEntry(trx, code, entry.id, 'dropped', ['waiting', 'offered']);
    if (entry.status === 'offered') await releasePlaces(trx, code, slotId, entry.places);
    if (closing.mailer && slot)
      await queueLineMail(
        trx,
        closing.mailer,
        code,
        { ...entry, startsAt: slot.startsAt, endsAt: slot.endsAt, facilityId: slot.facilityId },
        { kind: 'closed', message: closing.message },
      );
  }
  return entries.length;
}

type LineMail = { kind: 'offered'; expiresAt: Date } | { kind: 'closed'; message: string | null };

/** The mail to someone in line: an offer held until a time, or the time closed by the city. */
async function queueLineMail(
  trx: Transaction<Database>,
  mailer: BookingMailer,
  code: string,
  entry: {
    id: string;
    email: string;
    locale: 'ja' | 'en';
    places: number;
    startsAt: Date;
    endsAt: Date;
    facilityId: string;
  },
  mail: LineMail,
): Promise<void> {
  const facility = await trx
    .selectFrom('facility')
    .select(['nameJa', 'nameEn', 'addressJa', 'addressEn'])
    .where('municipalityCode', '=', code)
    .where('id', '=', entry.facilityId)
    .executeTakeFirst();
  const locale = entry.locale;
  const t = translator(locale);
  const k = (key: string, options: Record<string, unknown> = {}) =>
    String(t(`waitlistMail:${key}`, options));
  const place = (locale === 'ja' ? facility?.nameJa : facility?.nameEn) ?? '';
  const address = (locale === 'ja' ? facility?.addressJa : facility?.addressEn) ?? '';
  const until = mail.kind === 'offered' ? formatDateTime(mail.expiresAt, locale) : '';
  const content = renderMail({
    locale,
    subject: k(mail.kind === 'offered' ? 'subject' : 'closed.subject'),
    greeting: k('greeting'),
    paragraphs:
      mail.kind === 'offered'
        ? [k('body', { until }), k('how')]
        : [
            k('closed.body'),
            ...(mail.message ? [k('closed.reason', { message: mail.message })] : []),
            k('closed.how'),
          ],
    facts: [
      {
        label: k('facts.when'),
        value: `${formatDateTime(entry.startsAt, locale)} – ${formatDateTime(entry.endsAt, locale)}`,
      },
      { label: k('facts.where'), value: place },
      ...(address ? [{ label: k('facts.address'), value: address }] : []),
      { label: k('facts.places'), value: k('placesCount', { count: entry.places }) },
      ...(mail.kind === 'offered' ? [{ label: k('facts.until'), value: until }] : []),
    ],
    link: { label: k('link'), href: `${mailer.publicOrigin}/${locale}${BOOKING_PATH}` },
    signature: [k('signature')],
  });
  await queueMail(mailer.boss, trx, {
    kind: mail.kind === 'offered' ? 'booking.waitlist_offer' : 'booking.waitlist_closed',
    dedupeKey: `waitlist:${entry.id}:${mail.kind}`,
    to: entry.email,
    locale,
    subject: content.subject,
    text: content.text,
    html: content.html,
    municipalityCode: code,
  });
}
