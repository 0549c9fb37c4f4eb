/**
 * The staff audit page's filter (schema, form) and results table, shared with its CSV
 * export. Browser-safe: no server imports.
 */
import { Form, Link } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { z } from 'zod';
import { ErrorSummary, Field, type FieldError } from '../ui/form.tsx';
import {
  ACTOR_TYPES,
  AUDIT_OUTCOMES,
  type ActorType,
  type AuditFilter,
  type AuditOutcome,
} from './audit.ts';
import { userText } from '../ui/user-text.ts';
import { isCalendarDate, tokyoDayEnd, tokyoDayStart } from '../i18n/dates.ts';
import { TableRegion } from '../ui/table-region.tsx';

const AUDIT_SEARCH_FIELDS = ['actorType', 'actorId', 'action', 'from', 'to', 'outcome'] as const;
type AuditSearchField = (typeof AUDIT_SEARCH_FIELDS)[number];
/** What the person typed, for the form's default values. */
type AuditSearchValues = Record<AuditSearchField, string>;
/** Field name → i18n key (namespace adminAudit); `before` is the page, not a field. */
type AuditSearchErrors = Partial<Record<AuditSearchField | 'before', string>>;

// Full-width input from a Japanese IME ("ａｕｔｈ．", "２０２６／０４／０１") means the same thing.
const nfkc = (value: string) => value.normalize('NFKC').trim();

/** 'YYYY-MM-DD' as a real calendar day (slashes accepted for browsers without a date picker). */
const dateField = z
  .string()
  .transform((v) => nfkc(v).replaceAll('/', '-'))
  .refine((v) => v === '' || isCalendarDay(v), 'errors.date');

const choice = <T extends readonly [string, ...string[]]>(options: T) =>
  z.union([z.literal(''), z.enum(options)], { error: 'errors.choose' });

const AuditSearchSchema = z
  .object({
    actorType: choice(ACTOR_TYPES),
    actorId: z.string().transform(nfkc).pipe(z.string().max(200, 'errors.actorIdLength')),
    action: z
      .string()
      .transform((v) => nfkc(v).toLowerCase())
      .pipe(
        z
          .string()
          .max(100, 'errors.actionLength')
          // A prefix of `domain.verb`: 'auth', 'auth.', 'auth.sign_'.
          .regex(/^(?:[a-z_]+(?:\.[a-z_]*)*)?$/, 'errors.actionFormat'),
      ),
    from: dateField,
    to: dateField,
    outcome: choice(AUDIT_OUTCOMES),
    before: z.string().regex(/^(?:[1-9][0-9]{0,14})?$/, 'errors.page'),
  })
  .superRefine((v, ctx) => {
    if (isCalendarDay(v.from) && isCalendarDay(v.to) && v.to < v.from)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'errors.range' });
  });

export type AuditSearch = {
  filter: Omit<AuditFilter, 'before' | 'limit'>;
  /** Not an AuditFilter field yet: the caller keeps only matching records. */
  outcome: AuditOutcome | undefined;
  before: number | undefined;
  /** The normalized, non-empty filter values: for links, the export and the audit entry. */
  query: Partial<AuditSearchValues>;
};

export function readAuditSearch(
  params: URLSearchParams,
):
  | { ok: true; values: AuditSearchValues; search: AuditSearch }
  | { ok: false; values: AuditSearchValues; errors: AuditSearchErrors } {
  const values = Object.fromEntries(
    AUDIT_SEARCH_FIELDS.map((name) => [name, params.get(name) ?? '']),
  ) as AuditSearchValues;
  const parsed = AuditSearchSchema.safeParse({ ...values, before: params.get('before') ?? '' });
  if (!parsed.success) {
    const errors: AuditSearchErrors = {};
    for (const issue of parsed.error.issues) {
      const name = issue.path[0] as keyof AuditSearchErrors;
      errors[name] ??= issue.message;
    }
    return { ok: false, values, errors };
  }
  const v = parsed.data;
  const query: Partial<AuditSearchValues> = {};
  for (const name of AUDIT_SEARCH_FIELDS) if (v[name]) query[name] = v[name];
  return {
    ok: true,
    values,
    search: {
      filter: {
        actorType: (v.actorType || undefined) as ActorType | undefined,
        actorId: v.actorId || undefined,
        action: v.action || undefined,
        from: v.from ? tokyoDayStart(v.from) : undefined,
        to: v.to ? tokyoDayEnd(v.to) : undefined,
        outcome: (v.outcome || undefined) as AuditOutcome | undefined,
      },
      outcome: (v.outcome || undefined) as AuditOutcome | undefined,
      before: v.before ? Number(v.before) : undefined,
      query,
    },
  };
}

/** `?action=auth.&before=123`, or '' without filters. */
export function auditSearchString(query: Partial<AuditSearchValues>, before?: number): string {
  const params = new URLSearchParams(query);
  if (before !== undefined) params.set('before', String(before));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function isCalendarDay(value: string): boolean {
  return isCalendarDate(value) && value >= '1900-01-01';
}

/** One record as the page shows it, formatted on the server in the page's locale. */
export type AuditRow = {
  seq: number;
  /** ISO 8601 instant for <time dateTime>. */
  at: string;
  /** The same instant in words, in Japan time. */
  time: string;
  actorType: ActorType;
  actorId: string | null;
  onBehalfOfResidentId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
};

export function AuditFilterForm({
  values,
  errors,
  clearHref,
}: {
  values: AuditSearchValues;
  errors: AuditSearchErrors;
  clearHref: string;
}) {
  const { t } = useTranslation('adminAudit');
  const error = (name: AuditSearchField) => (errors[name] ? t(errors[name]) : undefined);
  const summary: FieldError[] = AUDIT_SEARCH_FIELDS.filter((name) => errors[name]).map((name) => ({
    id: name,
    label: t(`filter.${name}`),
    message: error(name) ?? '',
  }));
  const select = (name: 'actorType' | 'outcome', options: readonly string[]) => (
    <Field id={name} label={t(`filter.${name}`)} error={error(name)}>
      {(describedBy, invalid) => (
        <select
          id={name}
          name={name}
          defaultValue={values[name]}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        >
          <option value="">{t('filter.all')}</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {t(`${name}.${o}`)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  const text = (name: 'actorId' | 'action', maxLength: number) => (
    <Field id={name} label={t(`filter.${name}`)} hint={t(`filter.${name}Hint`)} error={error(name)}>
      {(describedBy, invalid) => (
        <input
          id={name}
          name={name}
          type="text"
          defaultValue={values[name]}
          maxLength={maxLength}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        />
      )}
    </Field>
  );
  const periodError = Boolean(errors.from || errors.to);
  return (
    <Form method="get" className="form" aria-labelledby="audit-filter-heading">
      <h2 id="audit-filter-heading">{t('filter.heading')}</h2>
      <ErrorSummary errors={summary} formError={errors.before ? t(errors.before) : null} />
      {select('actorType', ACTOR_TYPES)}
      {text('actorId', 200)}
      {text('action', 100)}
      <fieldset
        className={periodError ? 'field field--error' : 'field'}
        aria-describedby="period-hint"
      >
        <legend>{t('filter.period')}</legend>
        <p className="field__hint" id="period-hint">
          {t('filter.periodHint')}
        </p>
        <div className="date-parts">
          {(['from', 'to'] as const).map((name) => (
            <Field key={name} id={name} label={t(`filter.${name}`)} error={error(name)}>
              {(describedBy, invalid) => (
                <input
                  id={name}
                  name={name}
                  type="date"
                  defaultValue={values[name]}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                />
              )}
            </Field>
          ))}
        </div>
      </fieldset>
      {select('outcome', AUDIT_OUTCOMES)}
      <div className="button-row">
        <button type="submit" className="button button--primary">
          {t('filter.submit')}
        </button>
        <Link to={clearHref}>{t('filter.clear')}</Link>
      </div>
    </Form>
  );
}

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  const { t } = useTranslation('adminAudit');
  return (
    <TableRegion labelledBy="audit-caption">
      <table>
        <caption id="audit-caption">{t('results.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('results.time')}</th>
            <th scope="col">{t('results.who')}</th>
            <th scope="col">{t('results.action')}</th>
            <th scope="col">{t('results.target')}</th>
            <th scope="col">{t('results.outcome')}</th>
            <th scope="col">{t('results.ip')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq}>
              <th scope="row">
                <time dateTime={r.at}>{r.time}</time>
              </th>
              <td>
                {t(`actorType.${r.actorType}`)}
                {r.actorId ? (
                  <>
                    <br />
                    <code lang="zxx" translate="no">
                      {userText(r.actorId)}
                    </code>
                  </>
                ) : null}
                {r.onBehalfOfResidentId ? (
                  <>
                    <br />
                    {t('results.onBehalfOf', { id: r.onBehalfOfResidentId })}
                  </>
                ) : null}
              </td>
              <td>
                <code lang="en">{r.action}</code>
              </td>
              <td>
                {r.targetType}
                {r.targetType && r.targetId ? <br /> : null}
                {/* An identifier has no language: a screen reader spells it, a page check skips it. */}
                {r.targetId ? (
                  <code lang="zxx" translate="no">
                    {userText(r.targetId)}
                  </code>
                ) : null}
              </td>
              <td>{t(`outcome.${r.outcome}`)}</td>
              <td>{r.ip}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
