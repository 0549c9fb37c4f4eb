import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireStaff } from '../identity/guards.server.ts';
import { isLocale } from '../i18n/locales.ts';
import { isUuid } from '../platform/ids.ts';
import { maintenanceWindow } from '../maintenance/maintenance.service.server.ts';
import { maintenancePage } from '../maintenance/maintenance-page.server.ts';

/** The page residents will see during a window, exactly as the HTTP front answers it. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'maintenance:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const window = isUuid(params.windowId ?? '')
    ? await maintenanceWindow(context.db, params.windowId!)
    : undefined;
  if (!window) throw new Response('Not found', { status: 404 });
  return new Response(maintenancePage(window, locale), {
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
  });
}
