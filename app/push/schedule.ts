/**
 * When a fan-out may send: a delivery window, minus quiet hours (minutes after midnight in
 * Asia/Tokyo, which has no daylight saving time). Pure functions of their arguments, so the
 * clock is whatever the caller passes.
 */
import { tokyoDate, tokyoDayStart } from '../i18n/dates.ts';

export type QuietHours = { start: number; end: number } | null;

const MINUTE = 60_000;

/** "21:00-08:00" → minutes; "off" or "" → no quiet hours. */
export function parseQuietHours(text: string): QuietHours {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'off') return null;
  const match = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(trimmed);
  if (!match) throw new Error(`quiet hours must look like 21:00-08:00 or "off", not "${text}"`);
  const [h1, m1, h2, m2] = match.slice(1).map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) throw new Error(`no such time in "${text}"`);
  const quiet = { start: h1 * 60 + m1, end: h2 * 60 + m2 };
  return quiet.start === quiet.end ? null : quiet;
}

function minuteOfDay(t: Date): number {
  return Math.floor((t.getTime() - tokyoDayStart(tokyoDate(t)).getTime()) / MINUTE);
}

export function isQuiet(t: Date, quiet: QuietHours): boolean {
  if (!quiet) return false;
  const m = minuteOfDay(t);
  return quiet.start < quiet.end
    ? m >= quiet.start && m < quiet.end
    : m >= quiet.start || m < quiet.end;
}

/** The first instant at or after t whose Tokyo time of day is `minute`:00. */
function nextAt(t: Date, minute: number): Date {
  const day = tokyoDate(t);
  const today = tokyoDayStart(day).getTime() + minute * MINUTE;
  return new Date(today >= t.getTime() ? today : tokyoDayStart(day, 1).getTime() + minute * MINUTE);
}

/** t itself when sending is allowed at t, else the end of the quiet hours t falls in. */
export function nextAllowed(t: Date, quiet: QuietHours): Date {
  return quiet && isQuiet(t, quiet) ? nextAt(t, quiet.end) : t;
}

/** The parts of [start, end) outside quiet hours. */
export function allowedIntervals(start: Date, end: Date, quiet: QuietHours): [Date, Date][] {
  if (!quiet) return end > start ? [[start, end]] : [];
  const intervals: [Date, Date][] = [];
  let t = nextAllowed(start, quiet);
  while (t < end) {
    const quietFrom = nextAt(t, quiet.start);
    const until = quietFrom < end ? quietFrom : end;
    if (until > t) intervals.push([t, until]);
    t = nextAllowed(until, quiet);
    if (until.getTime() === t.getTime()) break; // reached the end of the window
  }
  return intervals;
}

/**
 * Start times for `count` batches spread evenly over the allowed time of the window. A window
 * with no allowed time (zero length, or all quiet) starts every batch at the first allowed
 * moment from its start.
 */
export function spreadStarts(start: Date, end: Date, quiet: QuietHours, count: number): Date[] {
  const intervals = allowedIntervals(start, end, quiet);
  const total = intervals.reduce((sum, [a, b]) => sum + (b.getTime() - a.getTime()), 0);
  if (total === 0) {
    const first = nextAllowed(start, quiet);
    return Array.from({ length: count }, () => first);
  }
  const starts: Date[] = [];
  let index = 0;
  let passed = 0; // allowed milliseconds in the intervals before `index`
  for (let i = 0; i < count; i++) {
    const offset = Math.floor((total * i) / count);
    while (offset >= passed + span(intervals[index]!)) {
      passed += span(intervals[index]!);
      index++;
    }
    starts.push(new Date(intervals[index]![0].getTime() + offset - passed));
  }
  return starts;
}

const span = ([a, b]: [Date, Date]) => b.getTime() - a.getTime();
