import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mintNonce, NONCE_SECONDS, nonceExpiry } from './c-nonce.server.ts';

describe('stateless c_nonces', () => {
  const key = randomBytes(32);
  const now = new Date('2026-12-04T12:00:00Z');

  it('a nonce this key sealed is live for five minutes, then not', () => {
    const nonce = mintNonce(key, now);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{52}$/);
    expect(nonceExpiry(key, nonce, now)?.toISOString()).toBe(
      new Date(now.getTime() + NONCE_SECONDS * 1000).toISOString(),
    );
    expect(nonceExpiry(key, nonce, new Date(now.getTime() + 299_000))).not.toBeNull();
    expect(nonceExpiry(key, nonce, new Date(now.getTime() + 300_000))).toBeNull();
  });

  it('every nonce is different', () => {
    const nonces = new Set(Array.from({ length: 1000 }, () => mintNonce(key, now)));
    expect(nonces.size).toBe(1000);
  });

  it('refuses another key’s nonce, any changed character, and what is not a nonce', () => {
    const nonce = mintNonce(key, now);
    expect(nonceExpiry(randomBytes(32), nonce, now)).toBeNull();
    for (let i = 0; i < nonce.length; i++) {
      const c = nonce[i] === 'A' ? 'B' : 'A';
      const changed = nonce.slice(0, i) + c + nonce.slice(i + 1);
      // The last character carries 2 spare bits base64url ignores; every other must count.
      if (Buffer.from(changed, 'base64url').equals(Buffer.from(nonce, 'base64url'))) continue;
      expect(nonceExpiry(key, changed, now), `character ${i}`).toBeNull();
    }
    for (const bad of ['', 'never-issued', nonce.slice(1), `${nonce}A`, nonce.replace(/.$/, '=')])
      expect(nonceExpiry(key, bad, now)).toBeNull();
  });

  it('a later expiry cannot be written into a nonce', () => {
    const bytes = Buffer.from(mintNonce(key, now), 'base64url');
    bytes.writeUIntBE(bytes.readUIntBE(1, 6) + 3600, 1, 6);
    expect(
      nonceExpiry(key, bytes.toString('base64url'), new Date(now.getTime() + 600_000)),
    ).toBeNull();
  });
});
