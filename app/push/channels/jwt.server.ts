import { createPrivateKey, sign, type KeyObject } from 'node:crypto';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS (RS256 or ES256) for provider authentication (FCM OAuth, APNs). */
export function signJwt(
  alg: 'RS256' | 'ES256',
  header: Record<string, string>,
  claims: Record<string, string | number>,
  key: KeyObject | string,
): string {
  const input = `${b64({ alg, typ: 'JWT', ...header })}.${b64(claims)}`;
  const keyObject = typeof key === 'string' ? createPrivateKey(key) : key;
  const signature =
    alg === 'RS256'
      ? sign('sha256', Buffer.from(input), keyObject)
      : sign('sha256', Buffer.from(input), { key: keyObject, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}
