import { RemixBrowser } from '@remix-run/react';
import { startTransition, StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { hydrateTranslations } from './i18n/route-translations.tsx';
import { reportBrowserErrors } from './browser-errors/reporter.client.ts';

reportBrowserErrors();

// The document carries the translations its page renders: they must be in place before React
// hydrates it, or the first render would differ from the server's.
hydrateTranslations();

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});
