import { beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { call } from '../../test/support/app-api.ts';
import {
  issuanceDeps,
  issueThroughEndpoints,
  requestThroughEndpoints,
  msoStatusReference,
  readStatusListToken,
  revokeCredential,
  useIssuerTestContext,
} from '../../test/support/credential-status.ts';
import type { AppContext } from '../context.ts';
import * as statusRoute from '../routes/credentials.status.$listId.ts';
import { issuerKeys } from './issuer-keys.server.ts';
import { compressStatusBytes, statusBytes } from './status-list.ts';
import { runIssuances } from './issuance-batch.server.ts';
import { issuanceOf } from '../../test/support/credentials.ts';

const TTL = 30;
const issuer = useIssuerTestContext({
  MADOGUCHI_CREDENTIAL_WAIT_MS: 0,
  MADOGUCHI_STATUS_LIST_TTL: TTL,
});
let context: AppContext;
let origin: string;
const db = () => issuer.db();
beforeAll(() => {
  context = issuer.context();
  origin = context.env.publicOrigin;
});

const fetchList = (path: string, headers: Record<string, string> = {}) => {
  const listId = path.split('/').pop()!;
  return call(statusRoute.loader, new Request(`${origin}${path}`, { headers }), context, {
    listId,
  });
};

const issueThree = () => issueThroughEndpoints(issuer.context(), 3);

describe('the status list byte array', () => {
  it('matches the draft’s 1-bit example: bits from the least significant, ZLIB-compressed', () => {
    const set = [0, 3, 4, 5, 7, 8, 9, 13, 15];
    const bytes = statusBytes(16, set);
    expect(Buffer.from(bytes).toString('hex')).toBe('b9a3');
    expect(compressStatusBytes(bytes).toString('hex')).toBe('78dadbb918000217015d');
    expect(() => statusBytes(16, [16])).toThrow(RangeError);
  });
});

describe('GET /credentials/status/:listId', () => {
  it('serves a signed CWT whose bit flips when a credential is revoked; the MSO points at it', async () => {
    const { residentId, mdocs, stored } = await issueThree();
    const keys = await issuerKeys(context.env);

    // Each mdoc's MSO references its stored list and index, at the URI the route serves.
    const references = mdocs.map(msoStatusReference);
    const byIndex = new Map(stored.map((c) => [c.statusIndex, c]));
    for (const reference of references) {
      const credential = byIndex.get(reference.idx);
      expect(credential).toBeDefined();
      expect(reference.uri).toBe(`${origin}/credentials/status/${credential!.statusListId}`);
    }
    const listId = stored[0]!.statusListId;
    expect(new Set(stored.map((c) => c.statusListId))).toEqual(new Set([listId]));
    const path = `/credentials/status/${listId}`;

    const before = await fetchList(path, { Accept: 'application/statuslist+cwt' });
    expect(before.status).toBe(200);
    expect(before.headers.get('Content-Type')).toBe('application/statuslist+cwt');
    expect(before.headers.get('Cache-Control')).toBe(`public, max-age=${TTL}`);
    expect(before.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const first = readStatusListToken(new Uint8Array(await before.arrayBuffer()));
    expect(first.coseTag).toBe(18);
    expect(first.protectedHeader).toEqual(
      new Map<number, unknown>([
        [1, -7],
        [16, 'application/statuslist+cwt'],
      ]),
    );
    expect(first.signatureValid).toBe(true);
    // Signed by the current Document Signer, which the published IACA certifies.
    expect(first.certificate.raw.equals(keys.current.certificateDer)).toBe(true);
    expect(first.certificate.verify(new X509Certificate(keys.iaca.certificateDer).publicKey)).toBe(
      true,
    );
    const now = Math.floor(Date.now() / 1000);
    expect(first.claims.get(2)).toBe(`${origin}${path}`);
    const iat = first.claims.get(6) as number;
    expect(Math.abs(iat - now)).toBeLessThanOrEqual(5);
    expect(first.claims.get(4)).toBe(iat + 3600);
    expect(first.claims.get(65534)).toBe(TTL);
    expect(first.bits).toBe(1);
    expect(first.bytes.length).toBe(131_072 / 8);
    for (const c of stored) expect(first.statusOf(c.statusIndex)).toBe(0);
    expect(first.bytes.every((b) => b === 0)).toBe(true);

    // Unchanged: the same token again (no new signature), and 304 for its ETag.
    const etag = before.headers.get('ETag')!;
    const again = await fetchList(path);
    expect(again.headers.get('ETag')).toBe(etag);
    const notModified = await fetchList(path, { 'If-None-Match': etag });
    expect(notModified.status).toBe(304);

    // Revoke the second credential: the next fetch has its bit, and only its bit, set.
    const revoked = stored[1]!;
    await revokeCredential(db(), { residentId, id: revoked.id });
    const after = await fetchList(path);
    expect(after.status).toBe(200);
    expect(after.headers.get('ETag')).not.toBe(etag);
    const second = readStatusListToken(new Uint8Array(await after.arrayBuffer()));
    expect(second.signatureValid).toBe(true);
    expect(second.statusOf(revoked.statusIndex)).toBe(1);
    for (const c of stored.filter((c) => c !== revoked))
      expect(second.statusOf(c.statusIndex)).toBe(0);
    const setBits = [...second.bytes].reduce(
      (n, b) => n + b.toString(2).replaceAll('0', '').length,
      0,
    );
    expect(setBits).toBe(1);
    // A verifier holding the revoked mdoc finds its bit through the MSO's own reference.
    const reference = references.find((r) => r.idx === revoked.statusIndex)!;
    expect(second.statusOf(reference.idx)).toBe(1);
  });

  it('answers 404 for an unknown or malformed list id, 406 for a JWT-only Accept', async () => {
    for (const id of ['999999', '0', 'abc', '01', '99999999999']) {
      const response = await fetchList(`/credentials/status/${id}`);
      expect(response.status, id).toBe(404);
    }
    const { stored } = await issueThree();
    const path = `/credentials/status/${stored[0]!.statusListId}`;
    expect((await fetchList(path, { Accept: 'application/statuslist+jwt' })).status).toBe(406);
    expect((await fetchList(path, { Accept: '*/*' })).status).toBe(200);
    const post = await call(
      statusRoute.action,
      new Request(`${origin}${path}`, { method: 'POST' }),
      context,
      { listId: String(stored[0]!.statusListId) },
    );
    expect(post.status).toBe(405);
  });
});

describe('a batch of issuance jobs', () => {
  it('takes its status indices up front, issues each request once, and skips a duplicate job', async () => {
    const a = await requestThroughEndpoints(context, 2);
    const b = await requestThroughEndpoints(context, 1);
    const keyA = { residentId: a.residentId, requestId: a.requestId };
    const keyB = { residentId: b.residentId, requestId: b.requestId };
    const deps = await issuanceDeps(context);
    expect(await runIssuances(deps, [keyA, keyB, keyA])).toEqual(['issued', 'issued', 'done']);
    const issued = [
      ...(await issuanceOf(db(), a.residentId)).credentials,
      ...(await issuanceOf(db(), b.residentId)).credentials,
    ];
    expect(issued).toHaveLength(3);
    const slots = new Set(issued.map((c) => `${c.statusListId}:${c.statusIndex}`));
    expect(slots.size).toBe(3);
    // Run again (a retried batch): nothing more is issued.
    expect(await runIssuances(deps, [keyA, keyB])).toEqual(['done', 'done']);
    expect((await issuanceOf(db(), a.residentId)).credentials).toHaveLength(2);
  });
});
