import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, importJWK, type JWK } from 'jose';
import type { Db } from '../../db/connection.ts';
import type { AppContext } from '../../app/context.ts';
import { deviceKeyPair } from './mdoc-verifier.ts';

/**
 * What the OpenID4VCI tests share: the register data issuance reads (a card, a register end),
 * a context whose issuer keys live in a temporary folder, the app's key proofs made with jose,
 * and reads of what was stored.
 */

/** The resident's card as the register would give it. */
export async function giveCard(
  db: Db,
  residentId: string,
  card: { issuedOn: string; expiresOn: string } = {
    issuedOn: '2024-04-01',
    expiresOn: '2034-03-31',
  },
): Promise<void> {
  await db
    .insertInto('residentCard')
    .values({ residentId, ...card })
    .onConflict((oc) => oc.column('residentId').doUpdateSet(card))
    .execute();
}

/** The resident's card as recorded: issue and expiry days. */
export function cardOf(db: Db, residentId: string) {
  return db
    .selectFrom('residentCard')
    .select(['issuedOn', 'expiresOn'])
    .where('residentId', '=', residentId)
    .executeTakeFirst();
}

export async function endRegister(db: Db, residentId: string, reason: 'moved_out' | 'died') {
  await db
    .insertInto('residentRegisterEnd')
    .values({ residentId, reason, endedOn: '2026-12-01' })
    .execute();
}

/** The context with its issuer keys in a fresh temporary folder. */
export function withIssuerFolder(context: AppContext): AppContext {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-vci-'));
  return { ...context, env: { ...context.env, MADOGUCHI_ISSUER_DIR: dir } };
}

/** A device key pair as the app holds it. */
export const newDevice = deviceKeyPair;
export type Device = ReturnType<typeof deviceKeyPair>;

/** An openid4vci-proof+jwt as the app makes it; `override` bends one part for bad cases. */
export async function keyProof(
  device: Device,
  claims: { aud: string; nonce?: string; iat?: number },
  override: { alg?: string; typ?: string; headerJwk?: object; signWith?: JWK } = {},
): Promise<string> {
  const key = await importJWK(
    (override.signWith ?? device.privateJwk) as JWK,
    override.alg ?? 'ES256',
  );
  return new SignJWT({
    aud: claims.aud,
    ...(claims.nonce === undefined ? {} : { nonce: claims.nonce }),
  })
    .setProtectedHeader({
      alg: override.alg ?? 'ES256',
      typ: override.typ ?? 'openid4vci-proof+jwt',
      jwk: (override.headerJwk ?? device.publicJwk) as JWK,
    })
    .setIssuedAt(claims.iat ?? Math.floor(Date.now() / 1000))
    .sign(key);
}

/** A resident's issuance requests and credentials, as stored. */
export async function issuanceOf(db: Db, residentId: string) {
  const requests = await db
    .selectFrom('credentialIssuanceRequest')
    .select(['id', 'state', 'failure', 'notificationEvent', 'collectedAt'])
    .where('residentId', '=', residentId)
    .execute();
  const credentials = await db
    .selectFrom('issuedCredential')
    .select([
      'id',
      'requestId',
      'deviceKeyThumbprint',
      'statusListId',
      'statusIndex',
      'documentNumber',
      'issuerSigned',
      'collectedAt',
    ])
    .where('residentId', '=', residentId)
    .execute();
  return { requests, credentials };
}
