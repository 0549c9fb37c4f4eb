import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * patches/@remix-run+react+2.17.5.patch, single-fetch part (decision 0072): when a navigation
 * is overtaken by another, the router aborts its fetch. If the answer's headers had arrived
 * but its first line had not, Remix's `fetchAndDecode` failed to decode the cut-off body and
 * logged it with console.error ("AbortError: signal is aborted without reason"), which the
 * e2e page fixture caught in CI as a browser console error. Patched, an aborted fetch is
 * thrown on as it is, unlogged; a body that really cannot be decoded is still logged. This
 * runs Remix's own browser module (the ES build the browser bundles) against a real server.
 */
type Strategy = (args: {
  request: Request;
  matches: unknown[];
  fetcherKey?: string;
}) => Promise<Record<string, unknown>>;
type SingleFetch = {
  getSingleFetchDataStrategy(
    manifest: unknown,
    routeModules: unknown,
    getRouter: () => unknown,
  ): Strategy;
};

let server: Server;
let origin = '';
const open: ServerResponse[] = [];
let answer: (res: ServerResponse) => void = () => {};

beforeAll(async () => {
  server = createServer((_req, res) => answer(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The module reads the page's origin and its error classes from `window`.
  vi.stubGlobal('window', { location: { origin }, Error, TypeError });
});
afterAll(async () => {
  for (const res of open) res.destroy();
  vi.unstubAllGlobals();
  await new Promise((resolve) => server.close(resolve));
});

/** A fetcher load of one route through Remix's single-fetch strategy, as the router runs it. */
async function load(signal: AbortSignal) {
  // Remix's browser build, reached by its path (it has no types of its own there).
  const browserModule = '@remix-run/react/dist/esm/single-fetch.js';
  const { getSingleFetchDataStrategy } = (await import(browserModule)) as SingleFetch;
  const strategy = getSingleFetchDataStrategy({ routes: {} }, {}, () => ({}));
  return strategy({
    request: new Request(`${origin}/en/admin/residents?q=x`, { signal }),
    fetcherKey: 'search',
    matches: [
      {
        route: { id: 'routes/search' },
        params: {},
        shouldLoad: true,
        // The router's handler calls the route's loader, which calls single fetch.
        resolve: (run: (handler: (load: () => unknown) => unknown) => unknown) =>
          run((singleFetch) => singleFetch()),
      },
    ],
  });
}

describe('Remix single fetch, an answer cut off by an overtaking navigation', () => {
  it('is thrown on as the abort it is, and nothing is logged', async () => {
    const arrived = new Promise<void>((resolve) => {
      answer = (res) => {
        open.push(res);
        res.writeHead(200, { 'Content-Type': 'text/x-script' });
        res.write('[{"_1":2},"a"'); // half a first line; the rest never comes
        resolve();
      };
    });
    // test/setup.ts spies on console.error for every test.
    const errors = vi.mocked(console.error);
    const controller = new AbortController();
    const loading = load(controller.signal);
    await arrived;
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
    expect(errors).not.toHaveBeenCalled();
  });

  it('a body that cannot be decoded, not aborted, is still reported', async () => {
    answer = (res) => {
      res.writeHead(200, { 'Content-Type': 'text/x-script' });
      res.end('this is not turbo-stream\n');
    };
    const errors = vi.mocked(console.error).mockImplementation(() => {});
    await expect(load(new AbortController().signal)).rejects.toThrow(
      /Unable to decode turbo-stream response/,
    );
    expect(errors).toHaveBeenCalled();
  });
});
