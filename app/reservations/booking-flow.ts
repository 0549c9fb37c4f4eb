/**
 * The resident booking flow's steps (decision 0052), pure and safe for the browser: what each
 * step's URL carries, how a month's calendar is laid out, and where each step's links go.
 * Every step is its own URL; the answers so far travel in its query string, so Back, a reload
 * and an error never lose them.
 */
import { addDays } from '../i18n/dates.ts';
import { type APPOINTMENT_KINDS, isoWeekday, type Availability } from './booking-rules.ts';

export const BOOKING_NEEDS = ['wheelchair', 'sign_language', 'written'] as const;
export type Need = (typeof BOOKING_NEEDS)[number];

/** The flow's steps in order, each a page below /{lang}/reservations/book. */
export const STEPS = ['facility', 'date', 'time', 'people', 'details', 'check'] as const;
export type Step = (typeof STEPS)[number];

/** What the steps so far have chosen, read leniently from a query string. */
export type FlowState = {
  kind?: (typeof APPOINTMENT_KINDS)[number];
  facility?: string;
  month?: string;
  day?: string;
  slot?: string;
  /** The signed list of verified household members (people step). */
  members?: string;
  email?: string;
  phone?: string;
  needs: Need[];
  /** Answers to the pre-booking questions, by question id. */
  answers: Record<string, string>;
  /** Changing the time of this booking instead of booking anew. */
  change?: string;
  /** Joining the waitlist of the (full) slot instead of booking it (decision 0054). */
  waitlist?: '1';
};

/** The state as query pairs, in a stable order (for links and hidden fields). */
export function flowPairs(state: Partial<FlowState>): [string, string][] {
  const pairs: [string, string][] = [];
  const add = (key: string, value: string | undefined) => {
    if (value) pairs.push([key, value]);
  };
  add('change', state.change);
  add('kind', state.kind);
  add('facility', state.facility);
  add('month', state.month);
  add('day', state.day);
  add('slot', state.slot);
  add('waitlist', state.waitlist);
  add('members', state.members);
  add('email', state.email);
  add('phone', state.phone);
  for (const need of state.needs ?? []) pairs.push(['needs', need]);
  for (const [id, value] of Object.entries(state.answers ?? {})) add(`q.${id}`, value);
  return pairs;
}

/** A step's address with the state so far: `/ja/reservations/book/date?kind=…`. */
export function stepHref(lang: string, step: Step, state: Partial<FlowState>): string {
  const query = new URLSearchParams(flowPairs(state)).toString();
  const path = step === 'facility' ? '' : `/${step}`;
  return `/${lang}/reservations/book${path}${query ? `?${query}` : ''}`;
}

export type CalendarDay = {
  day: string;
  /** Not in this month: an empty cell. */
  outside: boolean;
  /** null: nothing bookable (closed, unpublished, past, beyond the horizon). */
  availability: Availability | null;
};

/** A month as weeks of seven days, Monday first, for the calendar table. */
export function monthWeeks(
  monthKey: string,
  availability: ReadonlyMap<string, Availability>,
): CalendarDay[][] {
  const first = `${monthKey}-01`;
  const start = addDays(first, 1 - isoWeekday(first));
  const weeks: CalendarDay[][] = [];
  for (let d = start; d.slice(0, 7) <= monthKey || weeks.at(-1)?.length !== 7;) {
    if (!weeks.length || weeks.at(-1)!.length === 7) {
      if (d.slice(0, 7) > monthKey) break;
      weeks.push([]);
    }
    weeks.at(-1)!.push({
      day: d,
      outside: d.slice(0, 7) !== monthKey,
      availability: d.slice(0, 7) === monthKey ? (availability.get(d) ?? null) : null,
    });
    d = addDays(d, 1);
  }
  return weeks;
}

export function shiftMonth(monthKey: string, by: number): string {
  const [y, m] = monthKey.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** A pre-booking question as the flow asks it. */
export type Question = {
  id: string;
  type: 'text' | 'choice' | 'yes_no';
  required: boolean;
  labelJa: string;
  labelEn: string;
  options: { value: string; labelJa: string; labelEn: string }[];
};

/**
 * The answers to the pre-booking questions checked, as the resident flow and a clerk's phone
 * booking both ask them: field name (`q.<id>`) → the problem's key, `errors.answerRequired`.
 */
export function answerProblems(
  answers: Readonly<Record<string, string | undefined>>,
  questions: readonly Question[],
) {
  const problems: Record<string, string> = {};
  for (const q of questions) {
    const answer = answers[q.id]?.trim() ?? '';
    if (q.required && !answer) problems[`q.${q.id}`] = 'errors.answerRequired';
    else if (answer && q.type === 'choice' && !q.options.some((o) => o.value === answer))
      problems[`q.${q.id}`] = 'errors.answerRequired';
    else if (answer && q.type === 'yes_no' && !['yes', 'no'].includes(answer))
      problems[`q.${q.id}`] = 'errors.answerRequired';
  }
  return problems;
}
