/**
 * The resident booking flow's steps (decision 0052), pure and safe for the browser: what each
 * step's URL carries, how a month's calendar is laid out, and where each step's links go.
 * Every step is its own URL; the answers so far travel in its query string, so Back, a reload
 * and an error never lose them.
 */
import { z } from 'zod';
import { addDays } from '../i18n/dates.ts';
import { APPOINTMENT_KINDS, isoWeekday, type Availability } from './booking-rules.ts';

export const BOOKING_NEEDS = ['wheelchair', 'sign_language', 'written'] as const;
export type Need = (typeof BOOKING_NEEDS)[number];

/** The flow's steps in order, each a page below /{lang}/reservations/book. */
export const STEPS = ['facility', 'date', 'time', 'people', 'details', 'check'] as const;
export type Step = (typeof STEPS)[number];

const uuid = z.string().uuid();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

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

const pick = <T>(schema: z.ZodType<T>, value: string | null): T | undefined => {
  const parsed = schema.safeParse(value ?? undefined);
  return parsed.success ? parsed.data : undefined;
};

export function readFlowState(params: URLSearchParams): FlowState {
  const answers: Record<string, string> = {};
  for (const [key, value] of params)
    if (key.startsWith('q.') && key.length < 70) answers[key.slice(2)] = value.slice(0, 2000);
  return {
    kind: pick(z.enum(APPOINTMENT_KINDS), params.get('kind')),
    facility: pick(uuid, params.get('facility')),
    month: pick(month, params.get('month')),
    day: pick(day, params.get('day')),
    slot: pick(uuid, params.get('slot')),
    members: pick(z.string().max(2000), params.get('members')),
    email: pick(z.string().max(254), params.get('email')),
    phone: pick(z.string().max(30), params.get('phone')),
    needs: params
      .getAll('needs')
      .filter((n): n is Need => (BOOKING_NEEDS as readonly string[]).includes(n)),
    answers,
    change: pick(uuid, params.get('change')),
    waitlist: pick(z.literal('1'), params.get('waitlist')),
  };
}

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
 * Pre-booking questions as the staff's rules page stores them (facility.schema.ts `Question`):
 * `{ id, type: text|choice|yesno, required, label: {ja,en}, choices?: [{ja,en}] }`. A choice's
 * answer is stored as its Japanese words, so reordering choices keeps old answers' meaning.
 * Anything malformed is left out.
 */
const StoredQuestionSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/),
    type: z.enum(['text', 'choice', 'yesno']),
    required: z.boolean().default(false),
    label: z.object({ ja: z.string(), en: z.string() }),
    choices: z.array(z.object({ ja: z.string(), en: z.string() })).default([]),
  })
  .transform((q): Question => ({
    id: q.id,
    type: q.type === 'yesno' ? 'yes_no' : q.type,
    required: q.required,
    labelJa: q.label.ja,
    labelEn: q.label.en,
    options: q.choices.map((c) => ({ value: c.ja, labelJa: c.ja, labelEn: c.en })),
  }));

export function readQuestions(raw: readonly unknown[]): Question[] {
  return raw.flatMap((q) => {
    const parsed = StoredQuestionSchema.safeParse(q);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The details step: messages are i18n keys (namespace `bookingFlow`). */
export const DetailsSchema = z.object({
  email: z
    .string({ message: 'errors.emailRequired' })
    .trim()
    .max(254, { message: 'errors.emailInvalid' })
    .email({ message: 'errors.emailInvalid' }),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9０-９+\-‐ー() ]{6,20}$/, { message: 'errors.phoneInvalid' })
    .optional(),
  needs: z.array(z.enum(BOOKING_NEEDS)).default([]),
});

/** The people step: a household member by reservation ID and password or date of birth. */
export const MemberSchema = z
  .object({
    reservationId: z
      .string({ message: 'errors.required' })
      .trim()
      .refine((v) => /^[0-9]{10}$/.test(v.normalize('NFKC').replace(/[\s\-‐ー]/g, '')), {
        message: 'errors.reservationIdFormat',
      }),
    method: z.enum(['password', 'birth_date'], { message: 'errors.required' }),
    password: z.string().trim().optional(),
    birthDate: z.string().trim().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.method === 'password' && !v.password)
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'errors.required' });
    if (v.method === 'birth_date' && !(v.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(v.birthDate)))
      ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'errors.birthDateFormat' });
  });

/**
 * The details step's answers checked (the check page does this before it shows them): field
 * name → i18n key of the problem. Empty when all is well.
 */
export function detailsProblems(state: FlowState, questions: readonly Question[]) {
  const problems: Record<string, string> = {};
  const parsed = DetailsSchema.safeParse({
    email: state.email,
    phone: state.phone || undefined,
    needs: state.needs,
  });
  if (!parsed.success)
    for (const issue of parsed.error.issues) problems[String(issue.path[0])] ??= issue.message;
  if (!state.email?.trim()) problems.email = 'errors.emailRequired';
  return { ...problems, ...answerProblems(state.answers, questions) };
}

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
