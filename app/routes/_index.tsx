import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { negotiateLocale } from '../i18n/negotiate.server.ts';

/** "/" has no language of its own: send people to theirs (cookie, Accept-Language, then ja). */
export function loader({ request }: LoaderFunctionArgs) {
  const locale = negotiateLocale(request);
  return redirect(`/${locale}/`, {
    headers: { Vary: 'Cookie, Accept-Language', 'Cache-Control': 'no-store' },
  });
}
