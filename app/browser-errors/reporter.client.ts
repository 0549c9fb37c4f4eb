/**
 * Sends this page's uncaught errors and unhandled rejections to our own origin (POST
 * /browser-errors). Nothing is sent elsewhere; no cookie is needed; the server strips query
 * strings and shortens everything again. CSP violations reach the same endpoint through the
 * policy's report-uri, so the browser reports them even when this script never ran.
 */
const MAX_REPORTS = 10;

declare global {
  interface Window {
    __remixRouter?: { state: { matches: { route: { id: string } }[] } };
  }
}

export function reportBrowserErrors(): void {
  const sent = new Set<string>();
  const send = (kind: 'error' | 'rejection', error: unknown, where: Partial<ErrorEvent> = {}) => {
    const message =
      error instanceof Error ? `${error.name}: ${error.message}` : String(where.message ?? error);
    if (sent.size >= MAX_REPORTS || sent.has(message)) return;
    sent.add(message);
    const body = JSON.stringify({
      kind,
      message: message.slice(0, 1000),
      route: window.__remixRouter?.state.matches.at(-1)?.route.id ?? 'unknown',
      source: where.filename ? where.filename.replace(/[?#].*$/, '') : undefined,
      line: where.lineno,
      column: where.colno,
      stack: error instanceof Error ? error.stack?.slice(0, 4000) : undefined,
    });
    void fetch('/browser-errors', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      credentials: 'omit',
      keepalive: true,
    }).catch(() => undefined);
  };
  window.addEventListener('error', (event) => {
    // A resource that failed to load (img, script) is an Event without an error: not ours.
    if (!(event instanceof ErrorEvent)) return;
    send('error', event.error ?? event.message, event);
  });
  window.addEventListener('unhandledrejection', (event) => send('rejection', event.reason));
}
