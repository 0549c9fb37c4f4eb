import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { z } from 'zod';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { Notice } from '../ui/form.tsx';
import { requireStaff } from '../identity/guards.server.ts';
import {
  confirmRenewalImport,
  viewRenewalImport,
} from '../targets/renewal-import.service.server.ts';
import type { RenewalLineProblem } from '../targets/renewal-csv.ts';
import { clerkOf } from '../targets/staff-clerk.server.ts';

export const handle: RouteHandle = {
  title: 'adminRenewals:preview.title',
  i18n: ['adminRenewals'],
};

const importKey = (
  staff: Parameters<typeof clerkOf>[0],
  env: Parameters<typeof clerkOf>[1],
  value: string | undefined,
) => {
  const id = z.uuid().safeParse(value);
  if (!id.success) throw new Response('Not Found', { status: 404 });
  return { municipalityCode: clerkOf(staff, env).municipalityCode, importId: id.data };
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:import');
  const preview = await viewRenewalImport(
    context.db,
    clerkOf(staff, context.env).actor,
    importKey(staff, context.env, params.importId),
  );
  if (!preview) throw new Response('Not Found', { status: 404 });
  return preview;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:import');
  const key = importKey(staff, context.env, params.importId);
  const confirmed = await confirmRenewalImport(context.db, clerkOf(staff, context.env).actor, key);
  if (confirmed.outcome !== 'confirmed') {
    if (confirmed.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
    return data({ outcome: 'already' as const, counts: null, at: Date.now() }, { status: 409 });
  }
  return { outcome: 'confirmed' as const, counts: confirmed.counts, at: Date.now() };
}

function ProblemText({ problem }: { problem: RenewalLineProblem }) {
  const { t } = useTranslation('adminRenewals');
  const column = 'column' in problem ? t(`column.${problem.column}`) : '';
  const firstLine = 'firstLine' in problem ? problem.firstLine : '';
  return (
    <>
      {t('preview.line', { line: problem.line })}
      {t(`problem.${problem.reason}`, { column, firstLine })}
    </>
  );
}

export default function RenewalImportPreview() {
  const { t } = useTranslation('adminRenewals');
  const { lang } = useParams();
  const preview = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const figures = (['new', 'updated', 'unchanged', 'rejected'] as const).map((k) => ({
    key: k,
    value: preview.counts[k],
  }));
  return (
    <div className="page">
      <h1>{t('preview.title')}</h1>
      {answer ? (
        <Notice tone={answer.outcome === 'confirmed' ? 'success' : 'warning'} focusKey={answer.at}>
          {answer.counts ? t('preview.confirmed', answer.counts) : t('preview.alreadyImported')}
        </Notice>
      ) : null}
      <p>{preview.state === 'staged' ? t('preview.staged') : t('preview.confirmedLead')}</p>
      <dl className="meta-list">
        <div>
          <dt>{t('preview.file')}</dt>
          <dd>{preview.fileName}</dd>
        </div>
        {figures.map((f) => (
          <div key={f.key}>
            <dt>{t(`preview.${f.key}`)}</dt>
            <dd data-testid={`count-${f.key}`}>{f.value}</dd>
          </div>
        ))}
      </dl>
      {preview.problems.length > 0 ? (
        <section aria-labelledby="problems-title">
          <h2 id="problems-title">{t('preview.problems')}</h2>
          <ul>
            {preview.problems.map((p, i) => (
              <li key={`${p.line}-${i}`}>
                <ProblemText problem={p} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {preview.state === 'staged' ? (
        <Form method="post">
          <div className="button-row">
            <button type="submit" className="button button--primary">
              {t('preview.confirm')}
            </button>
          </div>
        </Form>
      ) : null}
      <p>
        <Link to={`/${lang}/admin/renewals`}>{t('preview.back')}</Link>
      </p>
    </div>
  );
}
