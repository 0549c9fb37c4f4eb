import { useEffect, useRef, useState } from 'react';
import { useLocation } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';

/**
 * After a client-side navigation to another page, move focus to the new page's h1 (so a
 * keyboard or screen-reader user starts at the top of the new content) and announce the
 * page in a polite live region. The first render is the browser's own page load: leave it.
 * A page whose point is further down (an import already read: its preview) marks that
 * heading with `data-route-focus`, and focus goes there instead; the page is still announced
 * by its h1.
 */
export function RouteAnnouncer() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  const [message, setMessage] = useState('');

  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    const frame = requestAnimationFrame(() => {
      const heading = document.querySelector<HTMLElement>('main h1');
      const target = document.querySelector<HTMLElement>('main [data-route-focus]') ?? heading;
      if (target) {
        if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
        target.focus();
      }
      const title = heading?.textContent?.trim() || document.title;
      setMessage(t('routeAnnouncement', { title }));
    });
    return () => cancelAnimationFrame(frame);
  }, [pathname, t]);

  return (
    <div
      className="visually-hidden"
      role="status"
      aria-live="polite"
      aria-atomic="true"
      data-testid="route-announcer"
    >
      {message}
    </div>
  );
}
