import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useParams,
} from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { Notice } from '../../ui/form.tsx';
import { useFocusOnChange } from '../../ui/focus.ts';
import { userText } from '../../ui/user-text.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import {
  confirmTargetImport,
  discardTargetImport,
  viewTargetImport,
} from '../../targets/target-import.service.server.ts';
import { formatDateTime } from '../../i18n/dates.ts';
import { intlLocale, isLocale, translator } from '../../i18n/locales.ts';
import { ImportProgress } from './progress.tsx';
import { ImportPreview } from './preview.tsx';

export const handle: RouteHandle = { i18n: ['adminTargetImport'] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:import');
  const clerk = clerkOf(staff, context.env);
  const importId = params.importId ?? '';
  if (!UUID.test(importId)) throw new Response('Not Found', { status: 404 });
  const page = Number(new URL(request.url).searchParams.get('page') ?? '1') || 1;
  const view = await viewTargetImport(context.db, clerk.actor, clerk.municipalityCode, importId, {
    page,
  });
  if (!view) throw new Response('Not Found', { status: 404 });
  const lang = isLocale(params.lang) ? params.lang : 'ja';
  const title = translator(lang)('adminTargetImport:page.title', { file: userText(view.fileName) });
  return {
    view,
    page: Math.min(Math.max(1, Math.floor(page)), view.problemPages),
    uploadedAt: formatDateTime(view.createdAt, lang),
    title,
    // While the job reads the file, the page refreshes itself without JavaScript.
    refreshWithoutScript: view.state === 'staging' ? 2 : undefined,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:import');
  const importId = params.importId ?? '';
  if (!UUID.test(importId)) throw new Response('Not Found', { status: 404 });
  const form = await request.formData();
  const { actor, municipalityCode } = clerkOf(staff, context.env);
  const key = { municipalityCode, importId };
  const intent = form.get('intent');
  if (intent === 'confirm') {
    const result = await confirmTargetImport(context.db, actor, key);
    if (result.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
    return result.outcome === 'confirmed'
      ? { intent: 'confirm' as const, outcome: 'confirmed' as const, counts: result.counts }
      : data({ intent: 'confirm' as const, outcome: result.outcome }, { status: 409 });
  }
  if (intent === 'discard') {
    const result = await discardTargetImport(context.db, actor, key);
    if (result.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
    return result.outcome === 'discarded'
      ? { intent: 'discard' as const, outcome: 'discarded' as const }
      : data({ intent: 'discard' as const, outcome: result.outcome }, { status: 409 });
  }
  return data({ intent: 'unknown' as const, outcome: 'not_staged' as const }, { status: 400 });
}

export default function TargetImportPage() {
  const { t } = useTranslation('adminTargetImport');
  const { lang } = useParams();
  const { view, uploadedAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const locale = isLocale(lang) ? lang : 'ja';
  const format = (n: number) => n.toLocaleString(intlLocale[locale]);
  // The preview appears by itself when the job is done: continue there.
  const previewRef = useFocusOnChange<HTMLHeadingElement>(
    view.state === 'staged' ? 'staged' : null,
    { afterFirst: true },
  );
  const message = result
    ? result.outcome === 'confirmed' && 'counts' in result
      ? t('result.confirmed', {
          new: format(result.counts.new),
          updated: format(result.counts.updated),
          unchanged: format(result.counts.unchanged),
        })
      : t(`result.${result.outcome}`)
    : null;
  const fileLang = /[\u3040-\u30ff\u3400-\u9fff]/.test(view.fileName) ? 'ja' : undefined;

  return (
    <div className="page">
      <p>
        <Link to={`/${lang}/admin/targets/import`}>{t('page.back')}</Link>
      </p>
      <h1>
        {t('page.title', { file: '' })}
        <span lang={fileLang}>{userText(view.fileName)}</span>
      </h1>
      <p>
        {t('page.uploadedAt', { date: uploadedAt })}{' '}
        {t('page.state', { state: t(`state.${view.state}`) })}
      </p>
      {message ? (
        <Notice
          tone={
            result?.outcome === 'confirmed' || result?.outcome === 'discarded'
              ? 'success'
              : 'warning'
          }
          focusKey={result}
        >
          <p data-testid="import-result">{message}</p>
        </Notice>
      ) : null}

      {view.state === 'staging' ? (
        <ImportProgress
          linesRead={view.progress.linesRead}
          linesTotal={view.progress.linesTotal}
          format={format}
        />
      ) : null}

      {view.state === 'failed' ? (
        <div className="notice notice--warning" role="alert">
          <h2>{t('failure.heading')}</h2>
          <p>{t(`failure.${view.failure ?? 'internal'}`)}</p>
        </div>
      ) : null}

      {view.counts ? (
        <section aria-labelledby="preview-heading">
          <h2
            id="preview-heading"
            tabIndex={-1}
            ref={previewRef}
            data-route-focus={view.state === 'staged' ? '' : undefined}
          >
            {t('preview.heading')}
          </h2>
          <ImportPreview format={format} />
          {view.state === 'staged' ? (
            <div className="button-row">
              <p id="confirm-hint">{t('actions.confirmHint')}</p>
              <Form method="post" replace>
                <input type="hidden" name="intent" value="confirm" />
                <button
                  type="submit"
                  className="button button--primary"
                  disabled={busy}
                  aria-describedby="confirm-hint"
                >
                  {t('actions.confirm')}
                </button>
              </Form>
              <Form method="post" replace>
                <input type="hidden" name="intent" value="discard" />
                <button type="submit" className="button button--secondary" disabled={busy}>
                  {t('actions.discard')}
                </button>
              </Form>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
