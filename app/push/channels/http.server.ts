import { Agent, request } from 'node:https';

type HttpAnswer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

/** A keep-alive HTTPS client for push providers (an extra CA only for a local test service). */
export function httpsClient(options: { extraCa?: string; maxSockets?: number } = {}) {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: options.maxSockets ?? 256,
    ...(options.extraCa ? { ca: options.extraCa } : {}),
  });
  return {
    post(
      url: string,
      headers: Record<string, string | number>,
      body: Buffer | string,
      timeoutMs = 30_000,
    ): Promise<HttpAnswer> {
      return new Promise((resolve, reject) => {
        const req = request(url, { method: 'POST', agent, headers, timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8').slice(0, 2000),
            }),
          );
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error('push request timed out')));
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

export type HttpsClient = ReturnType<typeof httpsClient>;

export const header = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value[0] : value;
