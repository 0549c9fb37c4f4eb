import { loadavg } from 'node:os';
import autocannon from 'autocannon';

/** One scenario measured on the app and on its ceiling in the same run. */
export type ScenarioPair = {
  name: string;
  app: LoadResult;
  ceiling: LoadResult;
  load: string;
  /** The app process's CPU time (user + system, /proc) over the measured run, per request. */
  cpuPerRequest: number;
  /** The same for the ceiling's process: the difference is what the framework costs a request. */
  ceilingCpuPerRequest: number;
};

/** A measured CPU time per request (bench/lib/app.ts `cpuMeter`). */
type PerRequest = { perRequest(r: { requests: number }): number };

/** One scenario's row: both results, the load now, and both processes' CPU per request. */
export function scenarioPair(
  name: string,
  app: LoadResult,
  ceiling: LoadResult,
  cpu: { app: PerRequest; ceiling: PerRequest },
): ScenarioPair {
  return {
    name,
    app,
    ceiling,
    load: loadavg()[0]!.toFixed(2),
    cpuPerRequest: cpu.app.perRequest(app),
    ceilingCpuPerRequest: cpu.ceiling.perRequest(ceiling),
  };
}

export type LoadResult = {
  name: string;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/** Requests/s and p50/p95/p99 of one autocannon run, from every response time it recorded. */
export function summarise(name: string, result: autocannon.Result, times: number[]): LoadResult {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    name,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / (result.duration || 1)),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/**
 * Drives one URL with `connections` keep-alive connections for `seconds`, recording every
 * response time (autocannon's own summary has no p95), after a short warm-up.
 */
export async function runLoad(options: {
  name: string;
  url: string;
  connections?: number;
  seconds?: number;
  headers?: Record<string, string>;
  warmupSeconds?: number;
}): Promise<LoadResult> {
  const base = {
    url: options.url,
    connections: options.connections ?? 32,
    headers: options.headers,
    pipelining: 1,
  };
  if ((options.warmupSeconds ?? 2) > 0)
    await autocannon({ ...base, duration: options.warmupSeconds ?? 2 });
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ ...base, duration: options.seconds ?? 10 }, (error, r) =>
      error ? reject(error) : resolve(r),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  return summarise(options.name, result, times);
}

const round = (n: number) => Math.round(n * 100) / 100;

export function printResults(title: string, results: LoadResult[], note = ''): void {
  console.log(`\n${title}${note ? ` — ${note}` : ''}`);
  console.table(
    results.map((r) => ({
      scenario: r.name,
      'req/s': r.requestsPerSecond,
      'p50 ms': r.p50,
      'p95 ms': r.p95,
      'p99 ms': r.p99,
      requests: r.requests,
      errors: r.errors,
      non2xx: r.non2xx,
    })),
  );
}
