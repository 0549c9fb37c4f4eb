import { Writable } from 'node:stream';
import type { AppLoadContext, EntryContext, HandleErrorFunction } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { renderToPipeableStream } from 'react-dom/server';
import { NonceProvider } from './ui/nonce.tsx';
import { withoutNulBytesIn } from './platform/without-nul-bytes.server.ts';
import { scriptsInsideBody } from './platform/scripts-inside-body.server.ts';
import { countPageView } from './page-views/page-views.service.server.ts';
import { markDatabaseUnavailable } from './platform/unavailable.server.ts';

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

/**
 * Renders the whole document before sending it (onAllReady): pages are small, the status code
 * stays truthful, and screen readers and no-JS browsers get complete HTML at once. As nothing
 * is streamed, the HTML is collected into one buffer and sent with a Content-Length: no
 * stream conversions (Node stream → web stream → Node response) for every 2 KB chunk.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  return new Promise<Response>((resolve, reject) => {
    let failed = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer
          context={remixContext}
          url={request.url}
          abortDelay={ABORT_DELAY}
          nonce={nonce}
        />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          const chunks: Uint8Array[] = [];
          const collect = new Writable({
            write(chunk: Uint8Array, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              clearTimeout(timeout);
              const route = remixContext.staticHandlerContext.matches.at(-1)?.route.id;
              if (!failed && responseStatusCode === 200 && request.method === 'GET' && route)
                countPageView(loadContext.db, route);
              const html = scriptsInsideBody(withoutNulBytesIn(Buffer.concat(chunks)));
              responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
              responseHeaders.set('Content-Length', String(html.byteLength));
              resolve(
                new Response(html, {
                  headers: responseHeaders,
                  status: failed ? 500 : responseStatusCode,
                }),
              );
              done();
            },
          });
          pipe(collect);
        },
        onShellError(error: unknown) {
          clearTimeout(timeout);
          reject(error);
        },
        onError(error: unknown) {
          failed = true;
          loadContext.log.error({ err: error, requestId: loadContext.requestId }, 'render failed');
        },
      },
    );
    // Cleared when the page is done: a pending timer would keep the whole render alive.
    const timeout = setTimeout(abort, ABORT_DELAY + 1000);
  });
}

export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  markDatabaseUnavailable(context, error);
  context.log.error(
    { err: error, requestId: context.requestId, url: request.url },
    'unhandled error',
  );
};
