/**
 * The staff calendar's forms (safe for the browser): facilities, opening hours, closed days,
 * weeks, slots and booking rules. Messages are keys in the adminReservations namespace.
 */
import { z } from 'zod';
import { DEFAULT_HOLD_HOURS } from './waitlist.ts';
import { isCalendarDate } from '../i18n/dates.ts';
import { APPOINTMENT_KINDS } from './booking-rules.ts';
import { parseSpans, SLOT_MINUTES, WEEKDAYS, type Span } from './facility.ts';

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'errors.tooLong')
    .optional()
    .transform((v) => v ?? '');
const required = (max: number) =>
  z
    .string({ error: 'errors.required' })
    .transform((v) => v.trim())
    .pipe(z.string().min(1, 'errors.required').max(max, 'errors.tooLong'));
const whole = (min: number, max: number) =>
  z.coerce
    .number({ error: 'errors.number' })
    .int('errors.number')
    .min(min, 'errors.range')
    .max(max, 'errors.range');
const day = z
  .string({ error: 'errors.required' })
  .trim()
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isCalendarDate(v), 'errors.date');

export const FacilitySchema = z.object({
  nameJa: required(200),
  nameEn: required(200),
  addressJa: text(300),
  addressEn: text(300),
  phone: z
    .string()
    .trim()
    .max(40, 'errors.tooLong')
    .regex(/^[0-9０-９()\-ー－+ ]*$/, 'errors.phone')
    .optional()
    .transform((v) => v ?? ''),
  directionsJa: text(2000),
  directionsEn: text(2000),
  kinds: z.array(z.enum(APPOINTMENT_KINDS), { error: 'errors.kinds' }).min(1, 'errors.kinds'),
  slotMinutes: z.coerce
    .number({ error: 'errors.slotMinutes' })
    .refine((v) => (SLOT_MINUTES as readonly number[]).includes(v), 'errors.slotMinutes'),
  placesPerSlot: whole(1, 100),
});
export type FacilityInput = z.output<typeof FacilitySchema>;

const spans = z
  .string()
  .optional()
  .transform((v, ctx): Span[] => {
    const parsed = parseSpans(v ?? '');
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: 'errors.spans' });
      return z.NEVER;
    }
    return parsed;
  });

/** One text field per ISO weekday: `w1` (Monday) … `w7` (Sunday). */
export const HoursSchema = z.object(
  Object.fromEntries(WEEKDAYS.map((d) => [`w${d}`, spans])) as Record<
    `w${1 | 2 | 3 | 4 | 5 | 6 | 7}`,
    typeof spans
  >,
);

export const AddClosedDaySchema = z.object({
  intent: z.literal('add'),
  day,
  reasonJa: text(200),
  reasonEn: text(200),
});
export const RemoveClosedDaySchema = z.object({ intent: z.literal('remove'), day });
export const ClosedDaySchema = z.discriminatedUnion('intent', [
  AddClosedDaySchema,
  RemoveClosedDaySchema,
]);

const monday = day.refine((v) => new Date(`${v}T00:00:00Z`).getUTCDay() === 1, 'errors.monday');
export const WeekSchema = z.object({
  intent: z.enum(['generate', 'publish', 'unpublish']),
  week: monday,
});

export const CloseSlotSchema = z.object({
  intent: z.literal('close'),
  slotId: z.uuid(),
  message: text(500),
});
export const SlotPlacesSchema = z.object({
  intent: z.literal('places'),
  slotId: z.uuid(),
  capacity: whole(0, 1000),
});
export const SlotSchema = z.discriminatedUnion('intent', [CloseSlotSchema, SlotPlacesSchema]);

export const QUESTION_TYPES = ['text', 'choice', 'yesno'] as const;
export const QUESTION_ROWS = 5;
const lines = (v: string) =>
  v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

const QuestionRow = z
  .object({
    id: text(40),
    type: z.enum(QUESTION_TYPES).optional(),
    required: z.literal('on').optional(),
    labelJa: text(200),
    labelEn: text(200),
    choicesJa: text(2000),
    choicesEn: text(2000),
  })
  .superRefine((q, ctx) => {
    if (q.labelJa === '' && q.labelEn === '') return;
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (q.labelJa === '') issue('labelJa', 'errors.required');
    if (q.labelEn === '') issue('labelEn', 'errors.required');
    if (!q.type) issue('type', 'errors.required');
    if (q.type === 'choice') {
      const [ja, en] = [lines(q.choicesJa), lines(q.choicesEn)];
      if (ja.length < 2) issue('choicesJa', 'errors.choices');
      else if (ja.length !== en.length) issue('choicesEn', 'errors.choicesMatch');
    }
  });

export type Question = {
  id: string;
  type: (typeof QUESTION_TYPES)[number];
  required: boolean;
  label: { ja: string; en: string };
  choices?: { ja: string; en: string }[];
};

export const RuleSchema = z
  .object({
    kind: z.enum(APPOINTMENT_KINDS),
    deadlineWorkingDays: whole(0, 30),
    deadlineTime: z
      .string({ error: 'errors.required' })
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'errors.time'),
    maxPeople: whole(1, 20),
    horizonDays: whole(1, 365),
    /** How long a waitlist offer holds its places (decision 0054). */
    waitlistHoldHours: whole(1, 168).default(DEFAULT_HOLD_HOURS),
    questions: z.array(QuestionRow).max(20).optional(),
  })
  .transform(({ questions, ...rule }) => ({
    ...rule,
    questions: (questions ?? [])
      .filter((q) => q.labelJa !== '' || q.labelEn !== '')
      .map((q): Question => {
        const [ja, en] = [lines(q.choicesJa), lines(q.choicesEn)];
        return {
          // A new question has no id yet: the service gives it one (questionIds in facility.ts).
          id: q.id,
          type: q.type!,
          required: q.required === 'on',
          label: { ja: q.labelJa, en: q.labelEn },
          ...(q.type === 'choice' ? { choices: ja.map((j, k) => ({ ja: j, en: en[k]! })) } : {}),
        };
      }),
  }));
export type RuleInput = z.output<typeof RuleSchema>;

/** A facility id from a URL: anything but a UUID is a page that does not exist (404). */
export function facilityIdParam(value: string | undefined): string {
  const id = z.uuid().safeParse(value);
  if (!id.success) throw new Response('Not Found', { status: 404 });
  return id.data;
}
