import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { AppLoadContext } from '@remix-run/node';
import type { Db } from '../../db/connection.ts';
import { loadSecrets, type Secrets } from '../../app/platform/secrets.server.ts';
import { createAuthorizationCode } from '../../app/api/link.service.server.ts';
import { registerClient } from '../../app/api/client.service.server.ts';
import * as tokenRoute from '../../app/routes/api.v1.token.ts';

const REDIRECT_URI = 'https://app.example.jp/callback';

export const testSecrets = (): Secrets =>
  loadSecrets(mkdtempSync(join(tmpdir(), 'madoguchi-api-test-')));

/** What the app API's routes read from the load context (the rest is never touched by them). */
export function apiContext(db: Db, secrets: Secrets, clientIp = '192.0.2.10'): AppLoadContext {
  return {
    db,
    secrets,
    clientIp,
    requestId: 'test',
    cspNonce: '',
    env: { publicOrigin: 'http://localhost' },
  } as unknown as AppLoadContext;
}

/** Calls a resource route's action or loader the way Remix does; a thrown Response is returned. */
export async function call(
  handler: (args: {
    request: Request;
    params: Record<string, string>;
    context: AppLoadContext;
  }) => unknown,
  request: Request,
  context: AppLoadContext,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    const result = await handler({ request, params, context });
    if (!(result instanceof Response)) throw new Error('the route did not answer a Response');
    return result;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export const apiRequest = (
  path: string,
  init: { method?: string; token?: string; json?: unknown; form?: Record<string, string> } = {},
) =>
  new Request(`http://localhost${path}`, {
    method: init.method ?? (init.json || init.form ? 'POST' : 'GET'),
    headers: {
      'Accept-Language': 'en',
      ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
      ...(init.json ? { 'Content-Type': 'application/json' } : {}),
      ...(init.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: init.json
      ? JSON.stringify(init.json)
      : init.form
        ? new URLSearchParams(init.form).toString()
        : undefined,
  });

export async function createResident(db: Db, municipalityCode = '131016'): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    insert into resident (register_code, name, name_kana, birth_date, sex, address,
                          municipality_code, municipality_name)
    values (lpad((floor(random() * 1e11))::bigint::text, 11, '0'), 'テスト　太郎', 'テスト　タロウ',
            '1980-01-01', 'unspecified', '東京都', ${municipalityCode}, 'テスト区')
    returning id`.execute(db);
  return rows[0]!.id;
}

export async function createClient(db: Db, prefix = 'app'): Promise<string> {
  const id = `${prefix}-${randomBytes(4).toString('hex')}`;
  await registerClient(db, {
    id,
    name: `App ${id}`,
    redirectUris: [REDIRECT_URI],
    createdBy: null,
  });
  return id;
}

export type Tokens = {
  access_token: string;
  refresh_token: string;
  subject: string;
  expires_in: number;
};

/** Links a device as the app would: consent (a code), then POST /api/v1/token with PKCE. */
export async function linkDevice(
  db: Db,
  secrets: Secrets,
  clientId: string,
  residentId: string,
  deviceName: string | null = null,
): Promise<Tokens> {
  const verifier = randomBytes(32).toString('base64url');
  const code = await createAuthorizationCode(db, {
    clientId,
    residentId,
    redirectUri: REDIRECT_URI,
    codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
    deviceName,
  });
  const response = await call(
    tokenRoute.action,
    apiRequest('/api/v1/token', {
      form: {
        grant_type: 'authorization_code',
        client_id: clientId,
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      },
    }),
    apiContext(db, secrets),
  );
  if (response.status !== 200) throw new Error(`link failed: ${await response.text()}`);
  return (await response.json()) as Tokens;
}

export async function refresh(
  db: Db,
  secrets: Secrets,
  clientId: string,
  refreshToken: string,
  clientIp?: string,
): Promise<Response> {
  return call(
    tokenRoute.action,
    apiRequest('/api/v1/token', {
      form: { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken },
    }),
    apiContext(db, secrets, clientIp),
  );
}
