import { z } from 'zod';
import { senders } from './notice.ts';
import { isTodoLink } from '../todos/todo.ts';
import { fromTokyoDateTimeLocal, isCalendarDate, tokyoDate } from '../i18n/dates.ts';

/**
 * Form schemas for the staff pages that write notices and to-dos, shared by the server's
 * validation and the browser's. Messages are i18n keys in the `adminNotices` namespace.
 * Also the browser-safe types and helpers of the audience list (CSV) that both forms upload.
 */

export const TITLE_MAX = 200;
export const BODY_MAX = 20_000;
export const TODO_DESCRIPTION_MAX = 2_000;
const ACTION_URL_MAX = 2_000;

/**
 * A 6-digit local government code (全国地方公共団体コード, JIS X 0401 + check digit): the
 * sixth digit is 11 minus the weighted sum (6,5,4,3,2) modulo 11, keeping its last digit.
 */
export function isLocalGovernmentCode(code: string): boolean {
  if (!/^[0-9]{6}$/.test(code)) return false;
  const sum = [...code.slice(0, 5)].reduce((acc, c, i) => acc + Number(c) * (6 - i), 0);
  return (11 - (sum % 11)) % 10 === Number(code[5]);
}

const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .optional()
    .transform((v) => v?.trim() || null)
    .pipe(z.string().max(max, tooLong).nullable());

const nfkc = (v: string | undefined) => (v ?? '').normalize('NFKC').trim();

/**
 * Cross-field rules run even when a field failed its own check (zod skips refinements after
 * a failure by default), so one submission reports every problem. Values may then be raw.
 */
const always = { when: () => true };
const present = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Adds "title and body, both or neither" and "at least one language" errors. */
function checkLanguages(
  value: { titleJa: unknown; bodyJa: unknown; titleEn: unknown; bodyEn: unknown },
  ctx: z.RefinementCtx,
  bodyRequired: boolean,
) {
  if (!present(value.titleJa) && !present(value.titleEn)) {
    ctx.addIssue({ code: 'custom', path: ['titleJa'], message: 'errors.languageRequired' });
    return;
  }
  for (const lang of ['Ja', 'En'] as const) {
    const title = present(value[`title${lang}`]);
    const body = present(value[`body${lang}`]);
    if (!title && body)
      ctx.addIssue({ code: 'custom', path: [`title${lang}`], message: `errors.title${lang}` });
    if (bodyRequired && title && !body)
      ctx.addIssue({ code: 'custom', path: [`body${lang}`], message: `errors.body${lang}` });
  }
}

const audienceTypes = ['all', 'municipality', 'list'] as const;

/** The compose form. `publishAt` null means "now" (the moment it is published). */
export const NoticeFormSchema = z
  .object({
    intent: z.enum(['preview', 'publish']),
    idempotencyKey: z.uuid(),
    sender: z.enum(senders, { error: 'errors.sender' }),
    titleJa: optionalText(TITLE_MAX, 'errors.titleTooLong'),
    bodyJa: optionalText(BODY_MAX, 'errors.bodyTooLong'),
    titleEn: optionalText(TITLE_MAX, 'errors.titleTooLong'),
    bodyEn: optionalText(BODY_MAX, 'errors.bodyTooLong'),
    audience: z.enum(audienceTypes, { error: 'errors.audience' }),
    municipalityCode: z.string().optional().transform(nfkc),
    audienceFile: z.file().optional(),
    /** The codes of a list checked earlier on this page (a browser cannot keep the file). */
    audienceCodes: z.string().optional(),
    publishWhen: z.enum(['now', 'scheduled'], { error: 'errors.publishWhen' }),
    publishAt: z.string().optional(),
    expiresAt: z.string().optional(),
  })
  .superRefine((value, ctx) => {
    checkLanguages(value, ctx, true);
    if (value.audience === 'municipality') {
      if (!value.municipalityCode)
        ctx.addIssue({
          code: 'custom',
          path: ['municipalityCode'],
          message: 'errors.municipalityRequired',
        });
      else if (!isLocalGovernmentCode(value.municipalityCode))
        ctx.addIssue({
          code: 'custom',
          path: ['municipalityCode'],
          message: 'errors.municipalityFormat',
        });
    }
    if (value.audience === 'list' && !value.audienceFile && !value.audienceCodes)
      ctx.addIssue({ code: 'custom', path: ['audienceFile'], message: 'errors.fileRequired' });
    const now = Date.now();
    let publishAt: Date | null = null;
    if (value.publishWhen === 'scheduled') {
      publishAt = present(value.publishAt) ? fromTokyoDateTimeLocal(value.publishAt) : null;
      if (!value.publishAt)
        ctx.addIssue({ code: 'custom', path: ['publishAt'], message: 'errors.publishAtRequired' });
      else if (!publishAt)
        ctx.addIssue({ code: 'custom', path: ['publishAt'], message: 'errors.dateTimeFormat' });
      else if (publishAt.getTime() <= now)
        ctx.addIssue({ code: 'custom', path: ['publishAt'], message: 'errors.publishAtPast' });
    }
    if (present(value.expiresAt)) {
      const expiresAt = fromTokyoDateTimeLocal(value.expiresAt);
      // A minute's margin: "now" is the moment of publishing, a little after this check.
      if (!expiresAt)
        ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'errors.dateTimeFormat' });
      else if (expiresAt.getTime() <= Math.max(now + 60_000, publishAt?.getTime() ?? 0))
        ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'errors.expiresAtBefore' });
    }
  }, always)
  .transform((value) => ({
    ...value,
    publishAt:
      value.publishWhen === 'scheduled' && value.publishAt
        ? fromTokyoDateTimeLocal(value.publishAt)
        : null,
    expiresAt: value.expiresAt ? fromTokyoDateTimeLocal(value.expiresAt) : null,
  }));

/** The to-do form (one to-do for every resident of an uploaded list). */
export const TodoFormSchema = z
  .object({
    idempotencyKey: z.uuid(),
    titleJa: optionalText(TITLE_MAX, 'errors.titleTooLong'),
    descriptionJa: optionalText(TODO_DESCRIPTION_MAX, 'errors.descriptionTooLong'),
    titleEn: optionalText(TITLE_MAX, 'errors.titleTooLong'),
    descriptionEn: optionalText(TODO_DESCRIPTION_MAX, 'errors.descriptionTooLong'),
    dueDate: z
      .string({ error: 'errors.dueDateRequired' })
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'errors.dueDateFormat'),
    actionUrl: z
      .string({ error: 'errors.actionUrlRequired' })
      .trim()
      .max(ACTION_URL_MAX, 'errors.actionUrlFormat')
      .refine(isTodoLink, 'errors.actionUrlFormat'),
    audienceFile: z.file().optional(),
    audienceCodes: z.string().optional(),
  })
  .superRefine((value, ctx) => {
    checkLanguages(
      {
        titleJa: value.titleJa,
        bodyJa: value.descriptionJa,
        titleEn: value.titleEn,
        bodyEn: value.descriptionEn,
      },
      ctx,
      false,
    );
    // The due date's own format check has already spoken when it fails.
    if (present(value.dueDate) && /^\d{4}-\d{2}-\d{2}$/.test(value.dueDate)) {
      if (!isCalendarDate(value.dueDate))
        ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'errors.dueDateFormat' });
      else if (tokyoDate(new Date()) > value.dueDate)
        ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'errors.dueDatePast' });
    }
    if (!value.audienceFile && !value.audienceCodes)
      ctx.addIssue({ code: 'custom', path: ['audienceFile'], message: 'errors.fileRequired' });
  }, always);

// The audience list (CSV of resident-register codes)

/** Why a row of the list was refused. */
export type AudienceProblem = 'format' | 'unknown' | 'duplicate';
export type AudienceRowError = {
  line: number;
  value: string;
  problem: AudienceProblem;
  /** For a duplicate: the line where the code first appeared. */
  firstLine?: number;
};
/** Why the whole file was refused. */
export type AudienceFileError = 'empty' | 'tooLarge' | 'tooManyRows' | 'noColumn' | 'unreadable';

/** What the page shows about a refused list: the first rows in full, the rest as line ranges. */
export type AudienceReport = {
  fileError: AudienceFileError | null;
  rowCount: number;
  errorCount: number;
  listed: AudienceRowError[];
  more: { problem: AudienceProblem; count: number; lines: string }[];
};

/** "3, 5, 9–12": line numbers, consecutive ones as ranges. */
export function lineRanges(lines: number[]): string {
  const parts: string[] = [];
  let start: number | undefined;
  let prev: number | undefined;
  for (const line of [...lines, Number.NaN]) {
    if (start !== undefined && prev !== undefined && line === prev + 1) {
      prev = line;
      continue;
    }
    if (start !== undefined && prev !== undefined)
      parts.push(start === prev ? String(start) : `${start}–${prev}`);
    start = line;
    prev = line;
  }
  return parts.join(', ');
}
