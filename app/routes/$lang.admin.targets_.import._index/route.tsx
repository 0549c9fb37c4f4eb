import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { useActionData, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { Notice } from '../../ui/form.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import {
  MAX_TARGET_FILE_BYTES,
  recentTargetImports,
  uploadTargetImport,
} from '../../targets/target-import.service.server.ts';
import { isLocale } from '../../i18n/locales.ts';
import { formatDateTime } from '../../i18n/dates.ts';
import { UploadForm } from './upload-form.tsx';
import { RecentImports } from './recent-imports.tsx';

export const handle: RouteHandle = {
  title: 'adminTargetImport:title',
  i18n: ['adminTargetImport'],
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:import');
  const imports = await recentTargetImports(
    context.db,
    clerkOf(staff, context.env).municipalityCode,
  );
  return { imports };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:import');
  const refused = (reason: string, extra: Record<string, string[]> = {}) =>
    data({ refused: { reason, ...extra } }, { status: 400 });
  if (!(request.headers.get('content-type') ?? '').startsWith('multipart/form-data'))
    return refused('missing');
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_TARGET_FILE_BYTES }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return refused('too_large');
    throw error;
  }
  const file = form.get('file');
  if (!(file instanceof File) || (file.size === 0 && file.name === '')) return refused('missing');

  const result = await uploadTargetImport(
    context.db,
    context.boss,
    { ...staff.actor, actorId: staff.session.accountId },
    {
      municipalityCode: clerkOf(staff, context.env).municipalityCode,
      fileName: file.name,
      bytes: new Uint8Array(await file.arrayBuffer()),
    },
  );
  const lang = isLocale(params.lang) ? params.lang : 'ja';
  if (result.outcome === 'queued')
    throw redirect(`/${lang}/admin/targets/import/${result.importId}`);
  if (result.outcome === 'already_imported')
    return {
      alreadyImported: {
        importId: result.importId,
        at: result.confirmedAt ? formatDateTime(result.confirmedAt, lang) : '',
      },
    };
  const { reason, ...lists } = result.problem;
  return refused(reason, lists as Record<string, string[]>);
}

export default function TargetImportUpload() {
  const { t } = useTranslation('adminTargetImport');
  const { lang } = useParams();
  const result = useActionData<typeof action>();
  const already = result && 'alreadyImported' in result ? result.alreadyImported : null;
  return (
    <div className="page">
      <h1>{t('title')}</h1>
      <p>{t('lead')}</p>
      {already ? (
        <Notice tone="info" focusKey={already}>
          <p>{t('alreadyImported', { date: already.at })}</p>
          <p>
            <a href={`/${lang}/admin/targets/import/${already.importId}`}>
              {t('alreadyImportedLink')}
            </a>
          </p>
        </Notice>
      ) : null}
      <UploadForm refused={result && 'refused' in result ? result.refused : null} />
      <RecentImports />
    </div>
  );
}
