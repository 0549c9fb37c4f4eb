import autocannon from 'autocannon';
import { summarise, type LoadResult } from './load.ts';

/**
 * Load for a request that consumes a one-time credential, e.g. a refresh token that rotates:
 * every request takes a distinct credential from a shared pool (`setupRequest`), and the
 * answer's successor goes back into the pool (`onResponse`), so a credential is never sent
 * twice. With keep-alive connections and pipelining 1, each connection holds one credential
 * at a time; the one in flight when a run stops is lost (its successor is never read), so the
 * pool must be larger than `connections` × runs. `lost` counts credentials lost to non-2xx.
 */
export async function runLoadRotating(options: {
  name: string;
  origin: string;
  pool: string[];
  build(credential: string): {
    method: 'POST' | 'GET';
    path: string;
    headers: Record<string, string>;
    body?: string;
  };
  successor(body: string): string | undefined;
  connections?: number;
  seconds?: number;
  warmupSeconds?: number;
  /** Called just before and just after the measured run (after the warm-up). */
  around?: { before(): void; after(): void };
}): Promise<LoadResult & { statuses: Record<string, number>; poolLeft: number }> {
  const connections = options.connections ?? 32;
  const pool = options.pool;
  const statuses: Record<string, number> = {};
  const request = (): autocannon.Request => ({
    setupRequest: (req) => {
      const credential = pool.shift();
      if (credential === undefined) throw new Error(`${options.name}: the credential pool ran dry`);
      return { ...req, ...options.build(credential) };
    },
    onResponse: (status, body) => {
      if (status < 200 || status > 299) return;
      const next = options.successor(body);
      if (next) pool.push(next);
    },
  });
  const run = (duration: number, onResponse?: (status: number, time: number) => void) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: options.origin,
          connections,
          pipelining: 1,
          duration,
          requests: [request()],
        },
        (error, r) => (error ? reject(error) : resolve(r)),
      );
      if (onResponse)
        instance.on('response', (_client, status, _bytes, time) => onResponse(status, time));
    });
  if (pool.length < connections * 2)
    throw new Error(`${options.name}: ${pool.length} credentials for ${connections} connections`);
  if ((options.warmupSeconds ?? 3) > 0) await run(options.warmupSeconds ?? 3);
  const times: number[] = [];
  options.around?.before();
  const result = await run(options.seconds ?? 10, (status, time) => {
    times.push(time);
    if (status < 200 || status > 299) statuses[status] = (statuses[status] ?? 0) + 1;
  });
  options.around?.after();
  return { ...summarise(options.name, result, times), statuses, poolLeft: pool.length };
}
