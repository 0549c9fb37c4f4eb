import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

/** One request as the push service received it. */
type ReceivedPush = {
  subscription: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  status: number;
};

export type TestSubscription = {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
  ecdh: ECDH;
  auth: string;
};

/** A browser-like subscription: an endpoint at `origin`, a P-256 key pair and an auth secret. */
export function newSubscription(origin: string, id: string): TestSubscription {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16).toString('base64url');
  return {
    id,
    endpoint: `${origin}/push/${encodeURIComponent(id)}`,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth },
    ecdh,
    auth,
  };
}

/**
 * A local push service (RFC 8030) on 127.0.0.1 over HTTPS with a self-signed certificate:
 * the party outside our system, speaking the real protocol. It answers 201 Created unless a
 * subscription has scripted answers (e.g. 429 with Retry-After, then 201; or 410 Gone), counts
 * pushes per subscription and, when asked, keeps the requests for inspection.
 */
export async function startPushService(options: { keep?: boolean; delayMs?: number } = {}) {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const counts = new Map<string, number>();
  const scripted = new Map<string, { status: number; headers?: Record<string, string> }[]>();
  const received: ReceivedPush[] = [];
  let total = 0;

  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const subscription = decodeURIComponent((req.url ?? '').replace(/^\/push\//, ''));
      const answer = scripted.get(subscription)?.shift() ?? { status: 201 };
      if (answer.status === 201) {
        counts.set(subscription, (counts.get(subscription) ?? 0) + 1);
        total++;
      }
      if (options.keep)
        received.push({
          subscription,
          headers: req.headers,
          body: Buffer.concat(chunks),
          status: answer.status,
        });
      res.writeHead(answer.status, {
        ...(answer.status === 201 ? { Location: `/message/${total}` } : {}),
        ...answer.headers,
      });
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    /** The certificate to trust (PUSH_EXTRA_CA_FILE). */
    ca: pems.cert,
    counts,
    received,
    get total() {
      return total;
    },
    /** A browser-like subscription: an endpoint here, a P-256 key pair and an auth secret. */
    subscribe: (id: string) => newSubscription(origin, id),
    /** The next answers for a subscription, in order; then 201 again. */
    script(id: string, answers: { status: number; headers?: Record<string, string> }[]) {
      scripted.set(id, [...answers]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type PushService = Awaited<ReturnType<typeof startPushService>>;
