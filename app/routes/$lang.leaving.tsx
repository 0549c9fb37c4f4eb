import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { externalUrl } from '../platform/links.ts';

export const handle: RouteHandle = { title: 'notices:leaving.title', i18n: ['notices'] };

/**
 * Every link to another domain passes here first (seed 003 usability rules). Only an
 * absolute http(s) address without a user name or password is offered, parsed as the browser
 * will follow it (app/platform/links.ts), so the address shown is where the button goes.
 */
export function loader({ request }: LoaderFunctionArgs) {
  const url = externalUrl(new URL(request.url).searchParams.get('to'), ['https:', 'http:']);
  return url ? { to: url.href, host: url.host } : { to: null };
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
                <code lang="zxx" translate="no">
                  {data.to}
                </code>
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
