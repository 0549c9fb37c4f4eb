import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { RouteHandle } from '../ui/title.ts';

export const handle: RouteHandle = { title: 'notices:leaving.title' };

/** Every link to another domain passes here first (seed 003 usability rules). */
export function loader({ request }: LoaderFunctionArgs) {
  const to = new URL(request.url).searchParams.get('to') ?? '';
  try {
    const url = new URL(to);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return { to: null };
    return { to: url.href, host: url.host };
  } catch {
    return { to: null };
  }
}

export default function Leaving() {
  const { t } = useTranslation('notices');
  const data = useLoaderData<typeof loader>();
  return (
    <div className="page page--narrow">
      <h1>{t('leaving.title')}</h1>
      {data.to ? (
        <>
          <p>{t('leaving.lead')}</p>
          <dl className="meta-list">
            <div>
              <dt>{t('leaving.destination')}</dt>
              <dd>
                <code>{data.to}</code>
              </dd>
            </div>
          </dl>
          <div className="button-row">
            <a className="button button--primary" href={data.to} rel="noopener noreferrer">
              {t('leaving.go')}
            </a>
          </div>
        </>
      ) : (
        <p>{t('leaving.invalid')}</p>
      )}
    </div>
  );
}
