import tokensHref from '@digital-go-jp/design-tokens/dist/tokens.css';
import stylesHref from '../ui/styles.css';
import { requireStaff, type StaffAccess } from '../identity/guards.server.ts';
import type { Permission } from '../identity/permissions.ts';
import type { AppContext } from '../context.ts';
import type { Locale } from '../i18n/locales.ts';
import { plainPage } from './plain-page.server.ts';

/**
 * requireStaff for a download (a resource route, which has no error boundary): staff without
 * the permission get the 403 page's words as a small HTML page instead of a bare "Forbidden".
 */
export async function requireStaffForDownload(
  request: Request,
  context: Pick<AppContext, 'db' | 'clientIp'>,
  permission: Permission,
  locale: Locale,
): Promise<StaffAccess> {
  try {
    return await requireStaff(request, context, permission);
  } catch (error) {
    if (error instanceof Response && error.status === 403)
      throw new Response(plainPage(locale, 'forbidden', [tokensHref, stylesHref]), {
        status: 403,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
      });
    throw error;
  }
}
