/** A maintenance window as the pages and the HTTP front see it (browser-safe). */
export type MaintenanceWindow = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  messageJa: string;
  messageEn: string;
};

/** The banner appears this long before a window starts (and stays until it starts). */
export const BANNER_LEAD_MS = 72 * 3_600_000;

/** The window in force at `now`, if any: start inclusive, end exclusive. */
export function activeWindow<W extends MaintenanceWindow>(windows: readonly W[], now: Date) {
  return windows.find((w) => w.startsAt <= now && now < w.endsAt) ?? null;
}

/** The next window starting within the banner's lead time, if none is in force. */
export function announcedWindow<W extends MaintenanceWindow>(windows: readonly W[], now: Date) {
  const lead = now.getTime() + BANNER_LEAD_MS;
  return (
    windows
      .filter((w) => w.startsAt > now && w.startsAt.getTime() <= lead)
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0] ?? null
  );
}

/** Whole seconds until the window ends, at least 1 (a Retry-After value). */
export function secondsUntilEnd(window: MaintenanceWindow, now: Date): number {
  return Math.max(1, Math.ceil((window.endsAt.getTime() - now.getTime()) / 1000));
}

export const messageIn = (window: MaintenanceWindow, locale: 'ja' | 'en') =>
  (locale === 'en' ? window.messageEn : window.messageJa) ||
  (locale === 'en' ? window.messageJa : window.messageEn);
