import { useEffect, useRef } from 'react';
import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { Notice } from '../ui/form.tsx';
import { requireStaff } from '../identity/guards.server.ts';
import {
  importInsuranceFile,
  residentIdForRegisterCode,
} from '../insurance/insurance.service.server.ts';
import { INSURANCE_CSV_COLUMNS } from '../insurance/insurance.csv.ts';

export const handle: RouteHandle = { title: 'insurance:admin.title', i18n: ['insurance'] };

/** File values are data in no known language: tagged Japanese only when they hold Japanese. */
const japanese = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]/;

const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Enough to fix a file by; the count says how many there are in all. */
const MAX_ERRORS_SHOWN = 200;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'insurance:read');
  const code = new URL(request.url).searchParams.get('code');
  let findError: 'invalid' | 'notFound' | null = null;
  if (code !== null) {
    const found = await residentIdForRegisterCode(context.db, code);
    if (found.ok && found.residentId)
      throw redirect(`/${params.lang}/admin/residents/${found.residentId}/insurance`);
    findError = found.ok ? 'notFound' : 'invalid';
  }
  return {
    code: (code ?? '').slice(0, 20),
    findError,
    canImport: staff.permissions.has('insurance:import'),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Importing changes records: it takes both viewing insurance and importing rights.
  const staff = await requireStaff(request, context, 'insurance:read');
  if (!staff.permissions.has('insurance:import')) throw new Response('Forbidden', { status: 403 });
  if (!(request.headers.get('content-type') ?? '').startsWith('multipart/form-data'))
    return data({ error: 'missing' as const }, { status: 400 });
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_FILE_BYTES }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError)
      return data({ error: 'tooLarge' as const }, { status: 400 });
    throw error;
  }
  const file = form.get('file');
  if (!(file instanceof File) || file.size === 0)
    return data({ error: 'missing' as const }, { status: 400 });

  const result = await importInsuranceFile(context.db, staff.actor, {
    name: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
  });
  if (!result.ok) {
    return data(
      {
        error: 'rows' as const,
        total: result.errors.length,
        errors: result.errors.slice(0, MAX_ERRORS_SHOWN),
      },
      { status: 400 },
    );
  }
  const { ok: _ok, ...summary } = result;
  return { imported: summary };
}

export default function AdminInsurance() {
  const { t } = useTranslation('insurance');
  const { lang } = useParams();
  const { code, findError, canImport } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting' && navigation.formMethod === 'POST';
  const summary = useRef<HTMLDivElement>(null);
  const error = result && 'error' in result ? result : null;
  useEffect(() => {
    if (error) summary.current?.focus();
  }, [error]);

  return (
    <div className="page">
      <h1>{t('admin.title')}</h1>
      <p>{t('admin.lead')}</p>

      <section aria-labelledby="find-title">
        <h2 id="find-title">{t('admin.find.heading')}</h2>
        <Form method="get" action={`/${lang}/admin/insurance`} className="form">
          <div className={`field${findError ? ' field--error' : ''}`}>
            <label htmlFor="code" className="field__label">
              {t('admin.find.label')}
            </label>
            {findError ? (
              <p id="code-error" className="field__error" role="alert">
                {t(`admin.find.${findError}`)}
              </p>
            ) : null}
            <input
              id="code"
              name="code"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              className="input--code"
              maxLength={20}
              defaultValue={code}
              aria-invalid={findError ? true : undefined}
              aria-describedby={findError ? 'code-error' : undefined}
              required
            />
          </div>
          <div className="button-row">
            <button type="submit" className="button button--secondary">
              {t('admin.find.button')}
            </button>
          </div>
        </Form>
      </section>

      <section aria-labelledby="import-title">
        <h2 id="import-title">{t('admin.import.heading')}</h2>
        {result && 'imported' in result ? (
          <Notice>{t('admin.import.done', result.imported)}</Notice>
        ) : null}
        {error ? (
          <div className="error-summary" role="alert" tabIndex={-1} ref={summary}>
            {error.error === 'rows' ? (
              <>
                <h3 className="error-summary__title">
                  {t('admin.import.failed', { problems: error.total })}
                </h3>
                <ul data-testid="import-errors">
                  {error.errors.map((e, i) => (
                    <li key={`${e.line}-${e.problem}-${i}`}>
                      {t('admin.import.line', { line: e.line })}
                      {t(`admin.errors.${e.problem}`, { otherLine: e.otherLine })}
                      {e.value !== undefined && e.value !== '' ? (
                        <>
                          {' '}
                          {t('admin.import.value')}
                          <code lang={japanese.test(e.value) ? 'ja' : undefined}>{e.value}</code>
                        </>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p>{t(`admin.import.${error.error}`)}</p>
            )}
          </div>
        ) : null}
        {canImport ? (
          <Form method="post" encType="multipart/form-data" className="form">
            <div className="field">
              <label htmlFor="file" className="field__label">
                {t('admin.import.file')}
              </label>
              <p id="file-hint" className="field__hint">
                {t('admin.import.hint')} <code lang="ja">{INSURANCE_CSV_COLUMNS.join(',')}</code>
              </p>
              <p id="file-values" className="field__hint">
                {t('admin.import.hintValues')}
              </p>
              <input
                id="file"
                name="file"
                type="file"
                accept=".csv,text/csv"
                aria-describedby="file-hint file-values"
                required
              />
            </div>
            <div className="button-row">
              <button type="submit" className="button button--primary" disabled={busy}>
                {t('admin.import.button')}
              </button>
            </div>
          </Form>
        ) : (
          <p>{t('admin.import.noPermission')}</p>
        )}
      </section>
    </div>
  );
}
