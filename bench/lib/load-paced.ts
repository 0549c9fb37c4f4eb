import { Agent, request } from 'node:http';
import type { BenchRequest } from './load-requests.ts';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const round = (n: number) => Math.round(n * 100) / 100;

/**
 * An open-loop load: `rate` requests a second, each sent at its own time (evenly spaced, as
 * people who each ask at their own pace arrive), whether or not earlier ones were answered.
 * autocannon's overallRate sends each second's requests together at the start of the second,
 * which measures a burst of `rate` simultaneous requests, not a person's wait at that load.
 * Keep-alive connections are reused (up to `connections`); the time is from sending to the
 * end of the body.
 */
export async function runPacedRequests(options: {
  name: string;
  origin: string;
  requests: BenchRequest[];
  rate: number;
  seconds?: number;
  warmupSeconds?: number;
  connections?: number;
}) {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections ?? 32 });
  const origin = new URL(options.origin);
  let next = 0;
  const one = (r: BenchRequest) =>
    new Promise<{ ms: number; status: number }>((resolve, reject) => {
      const started = performance.now();
      const req = request(
        {
          agent,
          host: origin.hostname,
          port: origin.port,
          path: r.path,
          method: 'GET',
          headers: r.headers,
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () =>
            resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  const run = async (seconds: number) => {
    const count = Math.round(seconds * options.rate);
    const t0 = performance.now();
    return Promise.all(
      Array.from({ length: count }, async (_, n) => {
        const due = t0 + (n * 1000) / options.rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        return one(options.requests[next++ % options.requests.length]!).catch(() => ({
          ms: NaN,
          status: 0,
        }));
      }),
    );
  };
  try {
    if ((options.warmupSeconds ?? 2) > 0) await run(options.warmupSeconds ?? 2);
    const seconds = options.seconds ?? 10;
    const results = await run(seconds);
    const times = results
      .filter((r) => Number.isFinite(r.ms))
      .map((r) => r.ms)
      .sort((a, b) => a - b);
    const statuses: Record<string, number> = {};
    for (const r of results)
      if (r.status < 200 || r.status > 299) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    return {
      name: options.name,
      requests: results.length,
      requestsPerSecond: Math.round(results.length / seconds),
      p50: round(percentile(times, 50)),
      p95: round(percentile(times, 95)),
      p99: round(percentile(times, 99)),
      errors: results.filter((r) => r.status === 0).length,
      non2xx: Object.values(statuses).reduce((a, b) => a + b, 0),
      statuses,
    };
  } finally {
    agent.destroy();
  }
}
