import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation, useParams } from '@remix-run/react';
import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Field } from '../ui/form.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { requireStaff } from '../identity/guards.server.ts';
import { searchResidents } from '../identity/residents.server.ts';
import { birthDateFrom } from '../identity/identity.schema.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import { formatDateBoth } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';

export const handle: RouteHandle = { title: 'adminResidents:search.title' };

const RESULT_LIMIT = 50;

const part = z
  .string()
  .trim()
  .regex(/^[0-9０-９]{1,4}$/, 'search.errors.birthDate')
  .transform((v) => Number(v.normalize('NFKC')))
  .optional();

/** Messages are keys in the adminResidents namespace. */
const SearchSchema = z
  .object({
    q: z.string().trim().max(100, 'search.errors.tooLong').optional(),
    birthYear: part,
    birthMonth: part,
    birthDay: part,
  })
  .transform((value, ctx) => {
    const { birthYear, birthMonth, birthDay } = value;
    const anyPart = [birthYear, birthMonth, birthDay].some((p) => p !== undefined);
    const birthDate =
      birthYear !== undefined && birthMonth !== undefined && birthDay !== undefined
        ? birthDateFrom({ birthYear, birthMonth, birthDay })
        : null;
    if (anyPart && !birthDate) {
      ctx.addIssue({ code: 'custom', path: ['birthYear'], message: 'search.errors.birthDate' });
      return z.NEVER;
    }
    return { text: value.q ?? '', birthDate };
  });

/** Kana readings are stored in katakana; staff often type hiragana. */
const toKatakana = (text: string) =>
  text.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'residents:read');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const url = new URL(request.url);
  const submission = parseWithZod(url.searchParams, { schema: SearchSchema });
  if (submission.status !== 'success') {
    const searched = [...url.searchParams.values()].some((v) => v.trim() !== '');
    return {
      state: searched ? ('invalid' as const) : ('empty' as const),
      result: searched ? submission.reply() : undefined,
      residents: [],
      more: false,
    };
  }
  const { text, birthDate } = submission.value;
  if (!text && !birthDate)
    return { state: 'empty' as const, result: undefined, residents: [], more: false };

  const query = { text, birthDate: birthDate ?? undefined };
  const kana = toKatakana(text);
  const [found, foundAsKana] = await Promise.all([
    searchResidents(context.db, query, RESULT_LIMIT + 1),
    kana !== text ? searchResidents(context.db, { ...query, text: kana }, RESULT_LIMIT + 1) : [],
  ]);
  const byId = new Map([...found, ...foundAsKana].map((r) => [r.id, r]));
  const rows = [...byId.values()].sort((a, b) => a.nameKana.localeCompare(b.nameKana, 'ja'));

  await recordAudit(context.db, {
    ...staff.actor,
    action: 'resident.search',
    targetType: 'resident',
    outcome: 'success',
    ip: context.clientIp,
    // Which fields were used, never what was typed: the log must not become a name index.
    details: {
      fields: [text ? 'text' : null, birthDate ? 'birthDate' : null].filter(Boolean),
      results: Math.min(rows.length, RESULT_LIMIT),
    },
  });

  return {
    state: 'searched' as const,
    result: undefined,
    more: rows.length > RESULT_LIMIT,
    residents: rows.slice(0, RESULT_LIMIT).map((r) => ({
      id: r.id,
      name: r.name,
      nameKana: r.nameKana,
      nameLatin: r.nameLatin,
      birthDate: formatDateBoth(new Date(`${r.birthDate}T00:00:00+09:00`), locale),
      address: r.address,
      municipalityName: r.municipalityName,
    })),
  };
}

export default function ResidentSearch() {
  const { t } = useTranslation('adminResidents');
  const { lang } = useParams();
  const { state, residents, more } = useLoaderData<typeof loader>();
  // A new search is a new page: the form starts from what the address says.
  const { search } = useLocation();
  return (
    <div className="page">
      <h1>{t('search.title')}</h1>
      <p>{t('search.lead')}</p>
      <SearchForm key={search} />

      {state === 'empty' ? <p className="notice notice--info">{t('search.empty')}</p> : null}
      {state === 'searched' ? (
        <section aria-labelledby="results-title">
          <h2 id="results-title">{t('search.results')}</h2>
          {residents.length === 0 ? (
            <p>{t('search.none')}</p>
          ) : (
            <>
              <p>{t('search.count', { count: residents.length })}</p>
              {more ? (
                <p className="notice notice--warning">
                  {t('search.tooMany', { limit: RESULT_LIMIT })}
                </p>
              ) : null}
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('search.name')}</th>
                      <th scope="col">{t('search.birth')}</th>
                      <th scope="col">{t('search.address')}</th>
                      <th scope="col">{t('search.municipality')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {residents.map((r) => (
                      <tr key={r.id}>
                        <th scope="row">
                          <Link to={`/${lang}/admin/residents/${r.id}`} lang="ja">
                            {r.name}
                          </Link>
                          <div className="hint" lang="ja">
                            {r.nameKana}
                          </div>
                          {r.nameLatin ? <div className="hint">{r.nameLatin}</div> : null}
                        </th>
                        <td>{r.birthDate}</td>
                        <td lang="ja">{r.address}</td>
                        <td lang="ja">{r.municipalityName}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      ) : null}
    </div>
  );
}

function SearchForm() {
  const { t } = useTranslation('adminResidents');
  const { result } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const [form, fields] = useForm<z.input<typeof SearchSchema>, z.output<typeof SearchSchema>>({
    lastResult: result,
    defaultValue: {
      q: params.get('q') ?? '',
      birthYear: params.get('birthYear') ?? '',
      birthMonth: params.get('birthMonth') ?? '',
      birthDay: params.get('birthDay') ?? '',
    },
    shouldValidate: 'onSubmit',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SearchSchema }),
  });
  const message = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const textError = message(fields.q.errors);
  const birthError = message(fields.birthYear.errors);
  const summary = [
    textError ? { id: fields.q.id, label: t('search.text'), message: textError } : null,
    birthError
      ? { id: fields.birthYear.id, label: t('search.birthDate'), message: birthError }
      : null,
  ].filter((e) => e !== null);

  return (
    <Form method="get" {...getFormProps(form)} className="form" role="search">
      <ErrorSummary errors={summary} />
      <Field
        id={fields.q.id}
        label={t('search.text')}
        hint={t('search.textHint')}
        error={textError}
      >
        {(describedBy, invalid) => (
          <input
            {...getInputProps(fields.q, { type: 'search' })}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        )}
      </Field>
      <fieldset
        className={birthError ? 'field field--error' : 'field'}
        aria-describedby={`${fields.birthYear.id}-hint${birthError ? ` ${fields.birthYear.id}-error` : ''}`}
      >
        <legend>{t('search.birthDate')}</legend>
        <p className="field__hint" id={`${fields.birthYear.id}-hint`}>
          {t('search.birthDateHint')}
        </p>
        {birthError ? (
          <p className="field__error" id={`${fields.birthYear.id}-error`}>
            {birthError}
          </p>
        ) : null}
        <div className="date-parts">
          {(
            [
              ['birthYear', 'search.year'],
              ['birthMonth', 'search.month'],
              ['birthDay', 'search.day'],
            ] as const
          ).map(([name, label]) => (
            <div key={name}>
              <label htmlFor={fields[name].id}>{t(label)}</label>
              <input
                {...getInputProps(fields[name], { type: 'text' })}
                inputMode="numeric"
                className="input--short"
                autoComplete="off"
                aria-invalid={birthError ? true : undefined}
              />
            </div>
          ))}
        </div>
      </fieldset>
      <div className="button-row">
        <button type="submit" className="button button--primary">
          {t('search.submit')}
        </button>
      </div>
    </Form>
  );
}
