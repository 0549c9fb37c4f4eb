/**
 * The booking site's view of a signed-in resident's waitlist (decision 0054). Apart from the
 * service, which job handlers load too: this one formats with the flow's page helpers.
 */
import type { Db } from '../../db/connection.ts';
import { formatDateBoth, formatDateTime } from '../i18n/dates.ts';
import type { Locale } from '../i18n/locales.ts';
import { timeRange } from './booking-flow-ui.tsx';
import { BOOKING_PATH } from './booking.ts';
import { liveEntriesOfTarget } from './waitlist.repository.server.ts';

const NOTICES = [
  'joined',
  'left',
  'declined',
  'accepted',
  'expired',
  'alreadyWaiting',
  'notFound',
  'refused',
] as const;

/**
 * The signed-in resident's places in line and offers, as the booking site shows them, and the
 * notice of what they just did (`?waitlist=…`).
 */
export async function waitlistView(
  db: Db,
  session: { municipalityCode: string; targetId: string },
  locale: Locale,
  query: URLSearchParams,
) {
  const rows = await liveEntriesOfTarget(db, session.municipalityCode, session.targetId);
  const asked = query.get('waitlist');
  return {
    notice: NOTICES.find((n) => n === asked) ?? null,
    action: `/${locale}${BOOKING_PATH}/waitlist`,
    entries: rows.map((r) => ({
      id: r.id,
      offered: r.status === 'offered',
      facility: locale === 'en' ? r.nameEn : r.nameJa,
      date: formatDateBoth(r.startsAt, locale),
      time: timeRange(r.startsAt, r.endsAt, locale),
      places: r.places,
      position: Number(r.ahead ?? 0) + 1,
      until: r.offerExpiresAt ? formatDateTime(r.offerExpiresAt, locale) : null,
    })),
  };
}
