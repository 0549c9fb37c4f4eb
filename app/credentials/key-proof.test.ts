import { describe, expect, it } from 'vitest';
import { createPrivateKey, sign } from 'node:crypto';
import { calculateJwkThumbprint, importJWK, SignJWT, type JWK } from 'jose';
import { checkKeyProof } from './key-proof.server.ts';
import { deviceKeyPair } from '../../test/support/mdoc-verifier.ts';

/**
 * The key-proof check is our own code on node:crypto (decision 0060 addendum); proofs here
 * are made with jose, as a wallet would, or by hand where a wallet would do it wrong.
 */
const aud = 'https://madoguchi.example.jp';
const now = new Date();
const seconds = Math.floor(now.getTime() / 1000);
const device = deviceKeyPair();
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const header = (extra: Record<string, unknown> = {}) => ({
  alg: 'ES256',
  typ: 'openid4vci-proof+jwt',
  jwk: device.publicJwk,
  ...extra,
});

async function withJose(
  claims: Record<string, unknown>,
  extraHeader: Record<string, unknown> = {},
) {
  const key = await importJWK(device.privateJwk as JWK, 'ES256');
  return new SignJWT(claims).setProtectedHeader(header(extraHeader) as never).sign(key);
}

/** Signed by hand (r‖s unless `der`), so header and payload can be anything. */
function byHand(h: unknown, payload: unknown, { der = false } = {}) {
  const input = `${part(h)}.${part(payload)}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: createPrivateKey({ key: device.privateJwk, format: 'jwk' }),
    dsaEncoding: der ? 'der' : 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}

const code = (jwt: string) => {
  try {
    checkKeyProof(jwt, aud, now);
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
};

describe('key proofs (openid4vci-proof+jwt)', () => {
  it('a wallet’s proof is accepted: the device key, its nonce and its RFC 7638 thumbprint', async () => {
    const jwt = await withJose({ aud, nonce: 'n-1', iat: seconds });
    const checked = checkKeyProof(jwt, aud, now);
    expect(checked.nonce).toBe('n-1');
    expect(checked.jwk).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: device.publicJwk.x,
      y: device.publicJwk.y,
    });
    expect(checked.thumbprint).toBe(await calculateJwkThumbprint(device.publicJwk as JWK));
    // aud may be a list that holds the issuer; exp and nbf are honoured when present.
    expect(code(await withJose({ aud: ['x', aud], nonce: 'n', iat: seconds }))).toBe('accepted');
    expect(
      code(await withJose({ aud, nonce: 'n', iat: seconds, exp: seconds + 60, nbf: seconds })),
    ).toBe('accepted');
  });

  it('refuses what a careless or hostile wallet sends', async () => {
    const claims = { aud, nonce: 'n', iat: seconds };
    expect(code(byHand(header(), claims, { der: true })), 'DER signature').toBe('invalid_proof');
    expect(code(byHand(header({ crit: ['b64'] }), claims)), 'crit').toBe('invalid_proof');
    expect(code(byHand(header({ kid: 'k' }), claims)), 'kid').toBe('invalid_proof');
    expect(
      code(byHand(header({ jwk: { ...device.publicJwk, d: device.privateJwk.d } }), claims)),
      'private key in the header',
    ).toBe('invalid_proof');
    const y = Buffer.from(device.publicJwk.y, 'base64url');
    y[31] = y[31]! ^ 1;
    expect(
      code(byHand(header({ jwk: { ...device.publicJwk, y: y.toString('base64url') } }), claims)),
      'a point off the curve',
    ).toBe('invalid_proof');
    expect(code(byHand(header(), [claims])), 'payload not an object').toBe('invalid_proof');
    expect(code(byHand(header(), { ...claims, aud: 'https://other.example' }))).toBe(
      'invalid_proof',
    );
    expect(code(byHand(header(), { ...claims, iat: String(seconds) })), 'iat a string').toBe(
      'invalid_proof',
    );
    expect(code(byHand(header(), { ...claims, iat: seconds - 331 })), 'too old').toBe(
      'invalid_proof',
    );
    expect(code(byHand(header(), { ...claims, iat: seconds - 329 })), 'old, within skew').toBe(
      'accepted',
    );
    expect(code(byHand(header(), { ...claims, iat: seconds + 31 })), 'future').toBe(
      'invalid_proof',
    );
    expect(code(byHand(header(), { ...claims, exp: seconds - 31 })), 'expired').toBe(
      'invalid_proof',
    );
    expect(code(byHand(header(), { ...claims, nbf: seconds + 31 })), 'not yet').toBe(
      'invalid_proof',
    );
    expect(code(byHand(header(), { aud, iat: seconds })), 'no nonce').toBe('invalid_nonce');
    const good = byHand(header(), claims);
    const [h, p, s] = good.split('.') as [string, string, string];
    expect(code(`${h}.${p}`), 'two parts').toBe('invalid_proof');
    expect(code(`${h}.${p}.${s}.x`), 'four parts').toBe('invalid_proof');
    expect(code(`${h}.${part({ ...claims, nonce: 'other' })}.${s}`), 'payload changed').toBe(
      'invalid_proof',
    );
    expect(code(`${h}.${p}.${s.slice(0, -2)}`), 'signature cut').toBe('invalid_proof');
    expect(code(`${h}.${p}.${s}=`), 'not base64url').toBe('invalid_proof');
    expect(code(good)).toBe('accepted');
  });
});
