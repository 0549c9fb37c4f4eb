import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { RouteHandle } from '../ui/title.ts';
import { requireResidentAccess } from '../identity/guards.server.ts';
import { residentName } from '../identity/identity.service.server.ts';

export const handle: RouteHandle = { title: 'identity:my.title' };

/** The signed-in home. (Notices and to-dos join it with the notices feature.) */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const access = await requireResidentAccess(request, context, null);
  return {
    name: (await residentName(context.db, access.residentId)) ?? '',
    viaProxy: access.viaProxy,
  };
}

export default function MyPage() {
  const { t } = useTranslation('identity');
  const { lang } = useParams();
  const { name, viaProxy } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t('my.title')}</h1>
      <p>{viaProxy ? t('my.actingWelcome', { name }) : t('my.welcome', { name })}</p>
      {!viaProxy ? (
        <ul>
          <li>
            <Link to={`/${lang}/my/security`}>{t('my.security')}</Link>
          </li>
          <li>
            <Link to={`/${lang}/my/proxies`}>{t('my.proxies')}</Link>
          </li>
        </ul>
      ) : null}
    </div>
  );
}
