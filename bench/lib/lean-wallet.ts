import { Agent, request } from 'node:http';
import { createPrivateKey, sign } from 'node:crypto';
import type { Device } from '../../test/support/credentials.ts';

/**
 * The bench's wallets, made lean. The load generator shares the machine's cores with the app
 * and PostgreSQL, so every millisecond it spends per issuance is one the server cannot use
 * (decision 0060: fetch and jose took 1.2–1.4 ms per issuance). What the server receives is
 * the same: a JSON POST over a kept-alive connection and an `openid4vci-proof+jwt` with the
 * same header and claims as the test helpers' jose proofs, signed ES256 (P-256, SHA-256,
 * r‖s) — made here with node:crypto on a key imported once.
 */
export function jsonPoster(origin: string, sockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const { hostname, port } = new URL(origin);
  return (path: string, token: string | null, body: unknown) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const payload = Buffer.from(JSON.stringify(body));
      const sent = request(
        {
          agent,
          hostname,
          port,
          path,
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': payload.length,
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            try {
              resolve({
                status: response.statusCode ?? 0,
                body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
              });
            } catch (error) {
              reject(error as Error);
            }
          });
        },
      );
      sent.on('error', reject);
      sent.end(payload);
    });
}

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs this device's key proofs: (aud, c_nonce) → openid4vci-proof+jwt. */
export function proofSigner(device: Device) {
  const key = createPrivateKey({ key: device.privateJwk, format: 'jwk' });
  const header = part({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: device.publicJwk });
  return (aud: string, nonce: string) => {
    const input = `${header}.${part({ aud, nonce, iat: Math.floor(Date.now() / 1000) })}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  };
}
