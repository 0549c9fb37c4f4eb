import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { createServer } from 'node:https';
import { createSecureServer, constants } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

async function localCertificate() {
  return generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
}

function verifyJwt(token: string, publicKey: KeyObject, alg: 'RS256' | 'ES256') {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return null;
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, string>;
  if (header.alg !== alg) return null;
  const ok = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey,
    Buffer.from(s, 'base64url'),
  );
  return ok
    ? {
        header,
        claims: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>,
      }
    : null;
}

/**
 * A local FCM (HTTP v1) with its OAuth token endpoint: checks the service account's RS256
 * assertion, hands out an access token, and answers `messages:send` like FCM — 200 with a
 * message name, or 404 UNREGISTERED / 429 / 400 INVALID_ARGUMENT for scripted tokens.
 */
export async function startFakeFcm(projectId: string) {
  const pems = await localCertificate();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const accessToken = `ya29.test-${Date.now()}`;
  const messages: { token: string; body: Record<string, unknown>; authorization: string }[] = [];
  const answers = new Map<string, number>();
  let tokenRequests = 0;
  const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/token') {
        tokenRequests++;
        const form = new URLSearchParams(text);
        const jwt = verifyJwt(form.get('assertion') ?? '', publicKey, 'RS256');
        if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || !jwt)
          return json(400, { error: 'invalid_grant' });
        return json(200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
      }
      if (req.url !== `/v1/projects/${projectId}/messages:send`) return json(404, {});
      if (req.headers.authorization !== `Bearer ${accessToken}`)
        return json(401, { error: { code: 401, status: 'UNAUTHENTICATED' } });
      const body = JSON.parse(text) as { message: { token: string } };
      messages.push({ token: body.message.token, body, authorization: req.headers.authorization });
      const status = answers.get(body.message.token) ?? 200;
      if (status === 404)
        return json(404, {
          error: { code: 404, status: 'NOT_FOUND', details: [{ errorCode: 'UNREGISTERED' }] },
        });
      if (status === 400) return json(400, { error: { code: 400, status: 'INVALID_ARGUMENT' } });
      if (status !== 200) return json(status, { error: { code: status } });
      return json(200, { name: `projects/${projectId}/messages/${messages.length}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    ca: pems.cert,
    serviceAccount: {
      type: 'service_account',
      client_email: 'madoguchi-push@test.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      token_uri: `${origin}/token`,
    },
    messages,
    answer: (token: string, status: number) => answers.set(token, status),
    get tokenRequests() {
      return tokenRequests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A local APNs over HTTP/2 and TLS: checks the provider token (ES256 with the team's key),
 * the topic and the push type, and answers like APNs — 200 with an apns-id, or 410
 * Unregistered / 400 BadDeviceToken / 429 for scripted device tokens.
 */
export async function startFakeApns(teamId: string, keyId: string, topic: string) {
  const pems = await localCertificate();
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const requests: {
    token: string;
    headers: Record<string, unknown>;
    body: Record<string, unknown>;
  }[] = [];
  const answers = new Map<string, { status: number; reason?: string }>();
  const server = createSecureServer({ key: pems.private, cert: pems.cert });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const reply = (status: number, reason?: string) => {
        stream.respond({
          [constants.HTTP2_HEADER_STATUS]: status,
          'apns-id': '00000000-0000-4000-8000-000000000000',
          ...(reason ? { 'content-type': 'application/json' } : {}),
        });
        stream.end(reason ? JSON.stringify({ reason }) : undefined);
      };
      const token = String(headers[constants.HTTP2_HEADER_PATH]).replace('/3/device/', '');
      const jwt = verifyJwt(
        String(headers.authorization ?? '').replace(/^bearer /, ''),
        publicKey,
        'ES256',
      );
      if (!jwt || jwt.header.kid !== keyId || jwt.claims.iss !== teamId)
        return reply(403, 'InvalidProviderToken');
      if (headers['apns-topic'] !== topic) return reply(400, 'TopicDisallowed');
      requests.push({
        token,
        headers: { ...headers },
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      const answer = answers.get(token);
      reply(answer?.status ?? 200, answer?.reason);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ca: pems.cert,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    requests,
    answer: (token: string, status: number, reason?: string) =>
      answers.set(token, { status, reason }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
