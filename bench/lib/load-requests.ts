import autocannon from 'autocannon';
import type { LoadResult } from './load.ts';

export type BenchRequest = { path: string; headers: Record<string, string> };

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const round = (n: number) => Math.round(n * 100) / 100;

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
  times.sort((a, b) => a - b);
  return {
    name: options.name,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / (result.duration || 1)),
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    p99: round(percentile(times, 99)),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statuses,
  };
}
