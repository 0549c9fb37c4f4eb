/**
 * What the booking flow reads from requests, checked with zod (decision 0052): the steps' query
 * string, the stored pre-booking questions, and the details and people steps' forms. Server
 * only: zod stays out of the browser (decision 0070); the pages validate on submit, on the
 * server, with or without JavaScript.
 */
import { z } from 'zod';
import { APPOINTMENT_KINDS } from './booking-rules.ts';
import {
  answerProblems,
  BOOKING_NEEDS,
  type FlowState,
  type Need,
  type Question,
} from './booking-flow.ts';

const uuid = z.string().uuid();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

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
