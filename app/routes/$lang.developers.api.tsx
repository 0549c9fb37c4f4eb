import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import {
  answeredProblemTypes,
  authFlowIntro,
  authFlowSteps,
  headers,
  operations,
  problemAdvice,
  problemsOf,
} from '../api/openapi.server.ts';
import { problemTypes, problemUri } from '../api/problem.server.ts';
import { pushDelivery } from '../api/push-payload.schema.ts';
import { noticeMessage } from '../push/message.ts';
import { webPushPayload } from '../push/channels/webpush.server.ts';
import { TableRegion } from '../ui/table-region.tsx';

export const handle: RouteHandle = { title: 'api:reference.title', i18n: ['api'] };

const headerNames: Record<keyof typeof headers, string> = {
  ContentLanguage: 'Content-Language',
  CacheControlNoStore: 'Cache-Control',
  CacheControlRevalidate: 'Cache-Control',
  ETag: 'ETag',
  Vary: 'Vary',
  WWWAuthenticate: 'WWW-Authenticate',
  RetryAfter: 'Retry-After',
  Allow: 'Allow',
};

/**
 * The human-readable API reference, drawn from the same operation list, texts and push
 * builders as openapi.json. Technical texts are in English (marked so for screen readers).
 */
export function loader(_: LoaderFunctionArgs) {
  const example = noticeMessage(
    {
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      kind: 'targeted',
      titleJa: '転出のお知らせ',
      titleEn: 'Moving out',
    },
    'en',
    86400,
  );
  return {
    authFlowIntro,
    authFlowSteps,
    headers: Object.entries(headers).map(([key, h]) => ({
      name: headerNames[key as keyof typeof headers],
      description: h.description,
    })),
    operations: Object.entries(operations).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        summary: op.summary,
        description: op.description ?? null,
        auth: op.auth ?? false,
        status: op.ok.status,
        problems: problemsOf(op).map((type) => ({ type, uri: problemUri(type) })),
      })),
    ),
    push: pushDelivery.split('\n').filter(Boolean),
    pushExample: JSON.stringify(JSON.parse(webPushPayload(example)), null, 2),
    problems: answeredProblemTypes().map((type) => ({
      type,
      uri: problemUri(type),
      status: problemTypes[type],
      advice: problemAdvice[type],
    })),
  };
}

export default function ApiReference() {
  const { t } = useTranslation('api');
  const data = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t('reference.title')}</h1>
      <p>{t('reference.lead')}</p>
      <p>
        <a href="/api/v1/openapi.json">{t('reference.openapi')}</a>
      </p>
      <nav aria-labelledby="reference-contents">
        <h2 id="reference-contents">{t('reference.contents')}</h2>
        <ul>
          <li>
            <a href="#account-link">{t('reference.authFlow')}</a>
          </li>
          <li>
            <a href="#headers">{t('reference.headers')}</a>
          </li>
          <li>
            <a href="#operations">{t('reference.operations')}</a>
          </li>
          <li>
            <a href="#push">{t('reference.push')}</a>
          </li>
          <li>
            <a href="#problem-types">{t('reference.problemTypes')}</a>
          </li>
        </ul>
      </nav>
      <h2 id="account-link">{t('reference.authFlow')}</h2>
      <div lang="en">
        <p>{data.authFlowIntro}</p>
        <ol>
          {data.authFlowSteps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      </div>
      <h2 id="headers">{t('reference.headers')}</h2>
      <dl lang="en">
        {data.headers.map((h) => (
          <div key={h.description}>
            <dt>
              <code translate="no">{h.name}</code>
            </dt>
            <dd>{h.description}</dd>
          </div>
        ))}
      </dl>
      <h2 id="operations">{t('reference.operations')}</h2>
      {data.operations.map((op) => (
        <section key={op.operationId} aria-labelledby={`op-${op.operationId}`} className="card">
          <h3 id={`op-${op.operationId}`}>
            <code lang="en" translate="no">
              {op.method} {op.path}
            </code>
          </h3>
          <p lang="en">
            <code translate="no">{op.operationId}</code>: {op.summary}
          </p>
          {op.description
            ? op.description.split('\n').map((line) => (
                <p lang="en" key={line}>
                  {line}
                </p>
              ))
            : null}
          <p>
            {op.auth ? t('reference.bearer') : t('reference.noAuth')}{' '}
            {t('reference.success', { status: op.status })}
          </p>
          <p>
            {t('reference.problemsOf')}{' '}
            {op.problems.map((p, i) => (
              <span key={p.type}>
                {i > 0 ? ', ' : null}
                <a href={`#problem-${p.type}`}>
                  <code lang="en" translate="no">
                    {p.uri}
                  </code>
                </a>
              </span>
            ))}
          </p>
        </section>
      ))}
      <h2 id="push">{t('reference.push')}</h2>
      <div lang="en">
        {data.push.map((line) =>
          line.startsWith('- ') ? (
            <ul key={line}>
              <li>{line.slice(2)}</li>
            </ul>
          ) : (
            <p key={line}>{line}</p>
          ),
        )}
      </div>
      <h3>{t('reference.pushExample')}</h3>
      {/* It may scroll sideways on a narrow screen: a named region a keyboard can scroll. */}
      <TableRegion label={t('reference.pushExample')}>
        <pre lang="en" translate="no">
          <code>{data.pushExample}</code>
        </pre>
      </TableRegion>
      <h2 id="problem-types">{t('reference.problemTypes')}</h2>
      <TableRegion label={t('reference.problemTypes')}>
        <table>
          <thead>
            <tr>
              <th scope="col">type</th>
              <th scope="col">status</th>
              <th scope="col">{t('reference.meaning')}</th>
            </tr>
          </thead>
          <tbody>
            {data.problems.map((p) => (
              <tr key={p.uri} id={`problem-${p.type}`}>
                <td>
                  <code lang="en" translate="no">
                    {p.uri}
                  </code>
                </td>
                <td>{p.status}</td>
                <td lang="en">{p.advice}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </div>
  );
}
