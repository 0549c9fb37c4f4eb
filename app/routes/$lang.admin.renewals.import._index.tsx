import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { ErrorSummary } from '../ui/form.tsx';
import { requireStaff } from '../identity/guards.server.ts';
import { isLocale } from '../i18n/locales.ts';
import { RENEWAL_CSV_COLUMNS } from '../targets/renewal-csv.ts';
import {
  MAX_RENEWAL_FILE_BYTES,
  stageRenewalImport,
} from '../targets/renewal-import.service.server.ts';
import { clerkOf } from '../targets/staff-clerk.server.ts';

export const handle: RouteHandle = {
  title: 'adminRenewals:import.title',
  i18n: ['adminRenewals'],
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'targets:import');
  return null;
}

type Refusal =
  | { reason: 'missing' | 'too_large' | 'binary' | 'empty' }
  | { reason: 'header'; missing: string[]; unknown: string[]; repeated: string[] }
  | { reason: 'already'; importId: string };

/** Upload → staged (nothing stored in the list yet) → the preview page. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:import');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const refuse = (refusal: Refusal) => data({ refusal }, { status: 400 });
  if (!(request.headers.get('content-type') ?? '').startsWith('multipart/form-data'))
    return refuse({ reason: 'missing' });
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_RENEWAL_FILE_BYTES }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return refuse({ reason: 'too_large' });
    throw error;
  }
  const file = form.get('file');
  if (!(file instanceof File) || file.size === 0) return refuse({ reason: 'missing' });
  const clerk = clerkOf(staff, context.env);
  const staged = await stageRenewalImport(context.db, clerk.actor, {
    municipalityCode: clerk.municipalityCode,
    fileName: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
  });
  if (staged.outcome === 'refused') return refuse(staged.problem);
  if (staged.outcome === 'already_imported')
    return refuse({ reason: 'already', importId: staged.importId });
  return redirect(`/${locale}/admin/renewals/import/${staged.importId}`);
}

export default function RenewalImport() {
  const { t } = useTranslation('adminRenewals');
  const { lang } = useParams();
  const refusal = useActionData<typeof action>()?.refusal;
  const busy = useNavigation().state === 'submitting';
  const message = !refusal
    ? null
    : refusal.reason === 'already'
      ? t('import.already')
      : refusal.reason === 'missing'
        ? t('import.missing')
        : t(`import.refused.${refusal.reason}`);
  return (
    <div className="page">
      <h1>{t('import.title')}</h1>
      <p>{t('import.lead')}</p>
      <Form method="post" encType="multipart/form-data" className="form">
        <ErrorSummary errors={message ? [{ id: 'file', label: t('import.file'), message }] : []} />
        {refusal?.reason === 'header' ? (
          <ul data-testid="header-problems">
            {(['missing', 'unknown', 'repeated'] as const)
              .filter((k) => refusal[k].length > 0)
              .map((k) => (
                <li key={k}>
                  {t(`import.header${k[0]!.toUpperCase()}${k.slice(1)}`)}{' '}
                  <span lang="ja">{refusal[k].join('、')}</span>
                </li>
              ))}
          </ul>
        ) : null}
        {refusal?.reason === 'already' ? (
          <p>
            <Link to={`/${lang}/admin/renewals/import/${refusal.importId}`}>
              {t('import.alreadyLink')}
            </Link>
          </p>
        ) : null}
        <div className={`field${message ? ' field--error' : ''}`}>
          <label htmlFor="file" className="field__label">
            {t('import.file')}
          </label>
          <p id="file-hint" className="field__hint">
            {t('import.hint')} <code lang="ja">{Object.values(RENEWAL_CSV_COLUMNS).join(',')}</code>
            <br />
            {t('import.hintOptional')}
          </p>
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby="file-hint"
            aria-invalid={message ? true : undefined}
            required
          />
        </div>
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('import.submit')}
          </button>
        </div>
      </Form>
    </div>
  );
}
