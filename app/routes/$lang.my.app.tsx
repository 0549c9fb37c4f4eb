import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useParams,
  useSearchParams,
} from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { Notice } from '../ui/form.tsx';
import { requireResidentAccess } from '../identity/guards.server.ts';
import { liveLinksOfResident, unlinkByResident } from '../api/link.service.server.ts';
import { formatDateTime } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import { userText } from '../ui/user-text.ts';

export const handle: RouteHandle = { title: 'api:myApp.title', i18n: ['api'] };

/** The resident sees the devices linked to apps (one per app) and can end a link (連携停止). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireResidentAccess(request, context, null);
  if (access.viaProxy) throw new Response('Forbidden', { status: 403 });
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const links = await liveLinksOfResident(context.db, access.residentId);
  return {
    links: links.map((link) => ({
      id: link.id,
      client: link.clientName,
      device: link.deviceName,
      linked: formatDateTime(link.createdAt, locale),
      lastUsed: link.lastUsedAt ? formatDateTime(link.lastUsedAt, locale) : null,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const access = await requireResidentAccess(request, context, null);
  if (access.viaProxy) throw new Response('Forbidden', { status: 403 });
  const form = await request.formData();
  const linkId = String(form.get('linkId') ?? '');
  return {
    ended: await unlinkByResident(context.db, access.actor, access.residentId, linkId),
  };
}

export default function MyApp() {
  const { t } = useTranslation('api');
  const { lang } = useParams();
  const [search] = useSearchParams();
  const { links } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="page">
      <h1>{t('myApp.title')}</h1>
      {result?.ended ? <Notice>{t('myApp.ended')}</Notice> : null}
      {links.length === 0 ? <p>{t('myApp.none')}</p> : null}
      {links.map((link) => (
        <section key={link.id} aria-labelledby={`link-${link.id}`}>
          <h2 id={`link-${link.id}`}>{link.client}</h2>
          <dl className="meta-list">
            <div>
              <dt>{t('myApp.client')}</dt>
              <dd>{userText(link.client)}</dd>
            </div>
            {link.device ? (
              <div>
                <dt>{t('myApp.device')}</dt>
                <dd>{userText(link.device)}</dd>
              </div>
            ) : null}
            <div>
              <dt>{t('myApp.linked')}</dt>
              <dd>{link.linked}</dd>
            </div>
            <div>
              <dt>{t('myApp.lastUsed')}</dt>
              <dd>{link.lastUsed ?? '—'}</dd>
            </div>
          </dl>
          {search.get('confirm') === link.id ? (
            <section className="notice notice--warning" aria-labelledby={`confirm-${link.id}`}>
              <h3 id={`confirm-${link.id}`}>{t('myApp.confirm')}</h3>
              <Form method="post" className="button-row">
                <input type="hidden" name="linkId" value={link.id} />
                <button type="submit" className="button button--danger">
                  {t('myApp.end')}
                  {links.length > 1 ? (
                    <span className="visually-hidden"> {link.client}</span>
                  ) : null}
                </button>
                <Link to={`/${lang}/my/app`}>{t('myApp.cancel')}</Link>
              </Form>
            </section>
          ) : (
            <p>
              <Link to={`?confirm=${link.id}`} className="button button--danger">
                {t('myApp.end')}
                {links.length > 1 ? <span className="visually-hidden"> {link.client}</span> : null}
              </Link>
            </p>
          )}
        </section>
      ))}
    </div>
  );
}
