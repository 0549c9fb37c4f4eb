/**
 * Pure helpers of the staff day and month views (decision 0053): reading a day or a month from
 * an address, the days of a month, the times of a slot in Japan, and the CSV of a day list.
 */
import type { TFunction } from 'i18next';
import { addDays, calendarDate, formatClock } from '../i18n/dates.ts';

/** 'YYYY-MM-DD' if it is a real calendar date, else null. */
export function readDay(value: string | null): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  return m ? calendarDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/** 'YYYY-MM' if it is a month between 2000 and 2100, else null. */
export function readMonth(value: string | null): string | null {
  const m = /^(\d{4})-(\d{2})$/.exec(value ?? '');
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  return year >= 2000 && year <= 2100 && month >= 1 && month <= 12 ? (value as string) : null;
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Every day of a month, in order. */
export function monthDays(month: string): string[] {
  const days: string[] = [];
  const next = `${nextMonth(month)}-01`;
  for (let day = `${month}-01`; day < next; day = addDays(day, 1)) days.push(day);
  return days;
}

/** 09:00 as the counter's clock (Asia/Tokyo) shows a slot's start. */
export function tokyoTime(date: Date): string {
  return formatClock(date, 'en-GB');
}

/** Reservation IDs typed one per line (or separated by commas): the empty ones dropped. */
export function splitReservationIds(text: string): string[] {
  return text
    .split(/[\r\n,、，]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export const NEEDS = ['wheelchair', 'sign_language', 'written'] as const;

/** Answers to the pre-booking questions as words: yes/no, a text, a list. */
export function answerText(value: unknown, t: TFunction): string {
  if (value === true) return t('reservationDays:day.yes');
  if (value === false) return t('reservationDays:day.no');
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
