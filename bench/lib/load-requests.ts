import autocannon from 'autocannon';
import { summarise, type LoadResult } from './load.ts';

export type BenchRequest = { path: string; headers: Record<string, string> };

/**
 * Like runLoad, but over many different requests (e.g. one cookie per signed-in resident):
 * connection i walks the list starting at its own offset, so at any moment the connections
 * ask for different residents. Records every response time for p50/p95/p99 and counts the
 * status codes that were not 2xx (printed, so a lost session is seen at once).
 */
export async function runLoadRequests(options: {
  name: string;
  origin: string;
  requests: BenchRequest[];
  connections?: number;
  seconds?: number;
  warmupSeconds?: number;
  /** Called just before and just after the measured run (after the warm-up). */
  around?: { before(): void; after(): void };
}): Promise<LoadResult & { statuses: Record<string, number> }> {
  const connections = options.connections ?? 32;
  const list: autocannon.Request[] = options.requests.map((r) => ({
    method: 'GET',
    path: r.path,
    headers: r.headers,
  }));
  if (list.length === 0) throw new Error(`${options.name}: no requests`);
  const stride = Math.max(1, Math.floor(list.length / connections));
  const setupClient = () => {
    let next = 0;
    return (client: autocannon.Client) => {
      const offset = (next++ * stride) % list.length;
      client.setRequests([...list.slice(offset), ...list.slice(0, offset)]);
    };
  };
  const base = {
    url: options.origin,
    connections,
    pipelining: 1,
    requests: list,
  };
  if ((options.warmupSeconds ?? 3) > 0)
    await autocannon({ ...base, setupClient: setupClient(), duration: options.warmupSeconds ?? 3 });
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  options.around?.before();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { ...base, setupClient: setupClient(), duration: options.seconds ?? 10 },
      (error, r) => (error ? reject(error) : resolve(r)),
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      times.push(responseTime);
      if (status < 200 || status > 299) statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  options.around?.after();
  return { ...summarise(options.name, result, times), statuses };
}
