/**
 * The day list as CSV (decision 0053): one line per person, headers in the staff member's
 * language, UTF-8 with BOM and formula-safe through app/csv/csv-write.ts. Pure.
 */
import type { TFunction } from 'i18next';
import { csvText } from '../csv/csv-write.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { formatReservationId } from './booking.ts';
import { answerText, tokyoTime } from './staff-days.ts';

export type CsvBookingRow = {
  bookingId: string;
  startsAt: Date;
  kind: string;
  places: number;
  phone: string;
  email: string | null;
  needs: readonly string[];
  answers: unknown;
  bookedVia: string;
  reservationId: string | null;
  name: string;
  nameKana: string | null;
  state: string;
};

/** The day list as CSV (UTF-8 with BOM, formula-safe): one line per person. */
export function bookingsCsv(rows: readonly CsvBookingRow[], t: TFunction): string {
  const header = [
    'date',
    'time',
    'reservationId',
    'name',
    'nameKana',
    'kind',
    'places',
    'phone',
    'email',
    'needs',
    'answers',
    'bookedVia',
    'state',
    'bookingId',
  ].map((c) => t(`reservationDays:csv.${c}`));
  const lines = rows.map((r) => [
    tokyoDate(r.startsAt),
    tokyoTime(r.startsAt),
    r.reservationId ? formatReservationId(r.reservationId) : '',
    r.name,
    r.nameKana ?? '',
    t(`reservationDays:kinds.${r.kind}`),
    String(r.places),
    r.phone,
    r.email ?? t('reservationDays:day.noEmail'),
    r.needs.map((n) => t(`reservationDays:needs.${n}`)).join(' / '),
    Object.entries((r.answers ?? {}) as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${answerText(v, t)}`)
      .join(' / '),
    t(`reservationDays:via.${r.bookedVia}`),
    t(`adminTargets:states.${r.state}`),
    r.bookingId,
  ]);
  return csvText([header, ...lines]);
}
