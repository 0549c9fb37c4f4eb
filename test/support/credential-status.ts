import { X509Certificate, verify } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { Decoder, type Tag } from 'cbor-x';
import { beforeAll, expect } from 'vitest';
import type { Db } from '../../db/connection.ts';
import type { AppContext } from '../../app/context.ts';
import type { Env } from '../../app/env.server.ts';
import { myNumberCard } from '../../app/credentials/doctypes.ts';
import { issuerKeys } from '../../app/credentials/issuer-keys.server.ts';
import { runIssuance } from '../../app/credentials/issuance-batch.server.ts';
import { revokeCredentials } from '../../app/credentials/revocation.service.server.ts';
import * as nonceRoute from '../../app/routes/credentials.nonce.ts';
import * as credentialRoute from '../../app/routes/credentials.credential.ts';
import * as deferredRoute from '../../app/routes/credentials.deferred.ts';
import { useTestDatabase } from '../database.ts';
import { call, createClient, createResident, linkDevice, testSecrets } from './app-api.ts';
import { giveCard, issuanceOf, keyProof, newDevice, withIssuerFolder } from './credentials.ts';
import { useQueues } from './mail.ts';
import { routeContext } from './routes.ts';

/**
 * What the status list tests share: a revocation through the revocation service, and a verifier's reading of a
 * served Token Status List CWT and of an mdoc's status reference, with cbor-x's decoder, zlib
 * and node:crypto only — none of the issuing code.
 */

/** The file's database, its queues, and a route context with issuer keys and `env` settings. */
export function useIssuerTestContext(env: Partial<Env>) {
  const database = useTestDatabase();
  const queues = useQueues(database);
  let context: AppContext;
  beforeAll(() => {
    const base = withIssuerFolder(routeContext(database.connection.db, queues.boss));
    context = { ...base, secrets: testSecrets(), env: { ...base.env, ...env } };
  });
  return { db: () => database.connection.db, context: () => context };
}

const post = (context: AppContext, path: string, token: string | null, json: unknown) =>
  new Request(`${context.env.publicOrigin}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(json),
  });

/**
 * A new resident's credential request with `count` proofs through the OpenID4VCI endpoints
 * (the context's wait must be 0: answered 202), its job not yet run.
 */
export async function requestThroughEndpoints(context: AppContext, count: number) {
  const { db } = context;
  const residentId = await createResident(db);
  await giveCard(db, residentId);
  const clientId = await createClient(db);
  const token = (await linkDevice(db, context.secrets, clientId, residentId)).access_token;
  const aud = context.env.publicOrigin;
  const nonced = await call(
    nonceRoute.action,
    post(context, '/credentials/nonce', null, {}),
    context,
  );
  const { c_nonce } = (await nonced.json()) as { c_nonce: string };
  const devices = Array.from({ length: count }, () => newDevice());
  const proofs = await Promise.all(devices.map((d) => keyProof(d, { aud, nonce: c_nonce })));
  const requested = await call(
    credentialRoute.action,
    post(context, '/credentials/credential', token, {
      credential_configuration_id: myNumberCard.configurationId,
      proofs: { jwt: proofs },
    }),
    context,
  );
  expect(requested.status).toBe(202);
  const { transaction_id } = (await requested.json()) as { transaction_id: string };
  const [request] = (await issuanceOf(db, residentId)).requests;
  return { residentId, token, transactionId: transaction_id, requestId: request!.id };
}

/** The issuance job's dependencies as the worker builds them. */
export const issuanceDeps = async (context: AppContext) => ({
  db: context.db,
  keys: await issuerKeys(context.env),
  maxValidityDays: context.env.MADOGUCHI_MDOC_MAX_DAYS,
  publicOrigin: context.env.publicOrigin,
});

/**
 * `count` mdocs for a new resident through the OpenID4VCI endpoints: the request, the job's
 * work run here, then collected at the deferred endpoint. Returns the collected IssuerSigned
 * bytes and the stored rows.
 */
export async function issueThroughEndpoints(context: AppContext, count: number) {
  const { db } = context;
  const { residentId, token, transactionId, requestId } = await requestThroughEndpoints(
    context,
    count,
  );
  expect(await runIssuance(await issuanceDeps(context), { residentId, requestId })).toBe('issued');
  const collected = await call(
    deferredRoute.action,
    post(context, '/credentials/deferred', token, { transaction_id: transactionId }),
    context,
  );
  expect(collected.status).toBe(200);
  const { credentials } = (await collected.json()) as { credentials: { credential: string }[] };
  return {
    residentId,
    mdocs: credentials.map((c) => Buffer.from(c.credential, 'base64url')),
    stored: (await issuanceOf(db, residentId)).credentials,
  };
}

/** Revokes one issued credential through the revocation service, as a resident does. */
export async function revokeCredential(
  db: Db,
  credential: { residentId: string; id: string },
  now = new Date(),
): Promise<void> {
  const result = await revokeCredentials(
    db,
    { actorType: 'resident', actorId: null, onBehalfOfResidentId: null, ip: null },
    {
      residentId: credential.residentId,
      credentials: { ids: [credential.id] },
      reason: 'lost_device',
    },
    { now },
  );
  if (result.outcome !== 'revoked') throw new Error(`not revoked: ${result.outcome}`);
}

const decoder = new Decoder({ mapsAsObjects: false } as ConstructorParameters<typeof Decoder>[0]);
const decode = (bytes: Uint8Array) => decoder.decode(bytes) as unknown;

/** A CBOR byte string header (major type 2) for `length`. */
function bstrHead(length: number): Buffer {
  if (length < 24) return Buffer.from([0x40 | length]);
  if (length < 0x100) return Buffer.from([0x58, length]);
  if (length < 0x10000) return Buffer.from([0x59, length >> 8, length & 0xff]);
  const head = Buffer.alloc(5);
  head[0] = 0x5a;
  head.writeUInt32BE(length, 1);
  return head;
}

/** RFC 9052 Sig_structure for COSE_Sign1 with empty external_aad, written byte by byte. */
function sigStructure(protectedHeader: Buffer, payload: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from([0x84, 0x6a]),
    Buffer.from('Signature1'),
    bstrHead(protectedHeader.length),
    protectedHeader,
    Buffer.from([0x40]),
    bstrHead(payload.length),
    payload,
  ]);
}

export type ReadStatusList = {
  coseTag: number;
  protectedHeader: Map<number, unknown>;
  certificate: X509Certificate;
  signatureValid: boolean;
  claims: Map<number, unknown>;
  bits: number;
  /** The decompressed byte array. */
  bytes: Buffer;
  /** A verifier's reading of one index: (byte ⌊i·bits/8⌋ >> (i·bits mod 8)) & mask. */
  statusOf(index: number): number;
};

/** Decodes a status list CWT and checks its signature with the x5chain certificate's key. */
export function readStatusListToken(token: Uint8Array): ReadStatusList {
  const tagged = decode(token) as Tag;
  const [protectedBytes, unprotected, payload, signature] = tagged.value as [
    Buffer,
    Map<number, unknown>,
    Buffer,
    Buffer,
  ];
  const certificate = new X509Certificate(unprotected.get(33) as Buffer);
  const signatureValid = verify(
    'sha256',
    sigStructure(Buffer.from(protectedBytes), Buffer.from(payload)),
    { key: certificate.publicKey, dsaEncoding: 'ieee-p1363' },
    signature,
  );
  const claims = decode(payload) as Map<number, unknown>;
  const list = claims.get(65533) as Map<string, unknown>;
  const bits = list.get('bits') as number;
  const bytes = inflateSync(list.get('lst') as Uint8Array);
  return {
    coseTag: tagged.tag,
    protectedHeader: decode(protectedBytes) as Map<number, unknown>,
    certificate,
    signatureValid,
    claims,
    bits,
    bytes,
    statusOf: (index) => {
      const bit = index * bits;
      return (bytes[bit >> 3]! >> (bit & 7)) & ((1 << bits) - 1);
    },
  };
}

/** The Token Status List reference in an mdoc's MSO: { idx, uri }. */
export function msoStatusReference(issuerSigned: Uint8Array): { idx: number; uri: string } {
  const document = decode(issuerSigned) as Map<string, unknown>;
  const issuerAuth = document.get('issuerAuth') as unknown[];
  const embedded = decode(issuerAuth[2] as Buffer) as Tag; // tag 24: the MSO's bytes
  const mso = decode(embedded.value as Buffer) as Map<string, unknown>;
  const status = mso.get('status') as Map<string, Map<string, unknown>>;
  const reference = status.get('status_list')!;
  return { idx: reference.get('idx') as number, uri: reference.get('uri') as string };
}
