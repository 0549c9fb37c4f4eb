import type { Db } from '../../db/connection.ts';
import type { Locale } from '../i18n/locales.ts';
import { maintenanceWindows } from './maintenance.service.server.ts';
import { activeWindow, announcedWindow, messageIn } from './maintenance.ts';
import { maintenanceRange } from './maintenance-page.server.ts';

export type MaintenanceBannerData = { now: boolean; range: string; message: string } | null;

/**
 * What the banner on every page says: a window starting within the lead time, or the one in
 * force (only staff pages are still served then). From the in-memory schedule: no query.
 */
export async function maintenanceBanner(db: Db, locale: Locale): Promise<MaintenanceBannerData> {
  const windows = await maintenanceWindows(db);
  const now = new Date();
  const active = activeWindow(windows, now);
  const window = active ?? announcedWindow(windows, now);
  if (!window) return null;
  return {
    now: active !== null,
    range: maintenanceRange(window, locale),
    message: messageIn(window, locale),
  };
}
