import { RemixBrowser } from '@remix-run/react';
import { startTransition, StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { hydrateTranslations } from './i18n/route-translations.tsx';
import { reportBrowserErrors } from './browser-errors/reporter.client.ts';

reportBrowserErrors();

// The document carries the translations its page renders: they must be in place before React
// hydrates it, or the first render would differ from the server's.
hydrateTranslations();

/**
 * Remix (single fetch) suspends its root component until the page's data, streamed inside the
 * document, is decoded. A tap or key press in that moment makes React hydrate synchronously to
 * replay it, and a root suspended with no boundary above it is given up (React error #345):
 * the page stays without JavaScript. So the decoding is started and awaited first, by asking
 * RemixBrowser itself, which throws its decoding promise until it is done (and keeps it for
 * the real render); only then does hydration begin.
 */
async function pageDataDecoded(): Promise<void> {
  try {
    RemixBrowser({});
  } catch (thrown) {
    if (thrown instanceof Promise) await thrown;
    // Anything else (a decoding error) is left to the render, which throws it again into
    // the error boundary.
  }
}

void pageDataDecoded().then(() =>
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  }),
);
