import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { RouteHandle } from '../ui/title.ts';
import { operations } from '../api/openapi.server.ts';
import { problemTypes, problemUri } from '../api/problem.server.ts';
import { TableRegion } from '../ui/table-region.tsx';

export const handle: RouteHandle = { title: 'api:reference.title' };

/** The human-readable API reference, drawn from the same operation list as openapi.json. */
export function loader(_: LoaderFunctionArgs) {
  return {
    operations: Object.entries(operations).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        summary: op.summary,
        description: op.description ?? null,
        auth: op.auth ?? false,
        status: op.ok.status,
        problems: op.problems,
      })),
    ),
    problems: Object.entries(problemTypes).map(([type, status]) => ({
      uri: problemUri(type as keyof typeof problemTypes),
      status,
    })),
  };
}

export default function ApiReference() {
  const { t } = useTranslation('api');
  const { operations: ops, problems } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t('reference.title')}</h1>
      <p>{t('reference.lead')}</p>
      <p>
        <a href="/api/v1/openapi.json">{t('reference.openapi')}</a>
      </p>
      <h2>{t('reference.operations')}</h2>
      {ops.map((op) => (
        <section
          key={`${op.method} ${op.path}`}
          aria-labelledby={`op-${op.method}-${op.path}`}
          className="card"
        >
          <h3 id={`op-${op.method}-${op.path}`}>
            <code lang="en" translate="no">
              {op.method} {op.path}
            </code>
          </h3>
          <p lang="en">{op.summary}</p>
          {op.description ? <p lang="en">{op.description}</p> : null}
          <p>
            {op.auth ? t('reference.bearer') : t('reference.noAuth')}{' '}
            {t('reference.success', { status: op.status })}{' '}
            {t('reference.errors', { statuses: op.problems.join(', ') })}
          </p>
        </section>
      ))}
      <h2>{t('reference.problemTypes')}</h2>
      <TableRegion label={t('reference.problemTypes')}>
        <table>
          <thead>
            <tr>
              <th scope="col">type</th>
              <th scope="col">status</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p) => (
              <tr key={p.uri}>
                <td>
                  <code lang="en" translate="no">
                    {p.uri}
                  </code>
                </td>
                <td>{p.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </div>
  );
}
