import { createHash } from 'node:crypto';
import { Tag } from 'cbor-x';
import type { Db } from '../../db/connection.ts';
import type { IssuerKeys } from './issuer-keys.server.ts';
import { coseSign1, encode } from './mdoc-issue.server.ts';
import { revokedIndices, statusListState } from './status-list.repository.server.ts';
import { compressStatusBytes, STATUS_BITS, statusBytes, statusListUri } from './status-list.ts';

/**
 * Token Status List tokens in CWT form (draft-ietf-oauth-status-list, decision 0060): a
 * tagged COSE_Sign1 (ES256 by the current Document Signer, its certificate as x5chain, as in
 * the mdocs) over the claims sub (the list URI), iat, exp, ttl and status_list {bits, lst}.
 *
 * Each fetch costs one query (the list's change marker); the token is signed again only
 * when the marker, the Document Signer or the settings change, or when half its lifetime
 * has passed. So a revocation is served from the next fetch on, and a thousand verifiers
 * refetching cost a thousand small queries and one signature.
 */

export const STATUS_LIST_MEDIA_TYPE = 'application/statuslist+cwt';

/** CWT claim keys (RFC 8392 and the draft's registrations). */
const CLAIM = { sub: 2, exp: 4, iat: 6, statusList: 65533, ttl: 65534 } as const;
const COSE_TYP = 16;
const COSE_SIGN1_TAG = 18;

export type StatusListDeps = {
  db: Db;
  keys: Pick<IssuerKeys, 'current'>;
  publicOrigin: string;
  /** MADOGUCHI_STATUS_LIST_TTL, seconds. */
  ttlSeconds: number;
};

export type SignedStatusList = {
  token: Buffer;
  etag: string;
  iat: number;
  exp: number;
  ttl: number;
};

/**
 * exp − iat: an hour, at least twice the ttl; a token is re-signed after half of it, so the
 * one served always outlives a verifier's ttl-long cache.
 */
export const statusListLifetime = (ttlSeconds: number) => Math.max(3600, 2 * ttlSeconds);

type Entry = { key: string; signedAt: number; token: Promise<SignedStatusList> };
const cache = new Map<number, Entry>();
const MAX_CACHED_LISTS = 256;

function signStatusList(
  deps: StatusListDeps,
  uri: string,
  size: number,
  revoked: number[],
  now: number,
): SignedStatusList {
  const iat = Math.floor(now / 1000);
  const exp = iat + statusListLifetime(deps.ttlSeconds);
  const claims = new Map<number, unknown>([
    [CLAIM.sub, uri],
    [CLAIM.iat, iat],
    [CLAIM.exp, exp],
    [CLAIM.ttl, deps.ttlSeconds],
    [
      CLAIM.statusList,
      new Map<string, unknown>([
        ['bits', STATUS_BITS],
        ['lst', compressStatusBytes(statusBytes(size, revoked))],
      ]),
    ],
  ]);
  const sign1 = coseSign1(encode(claims), deps.keys.current, [[COSE_TYP, STATUS_LIST_MEDIA_TYPE]]);
  const token = encode(new Tag(sign1, COSE_SIGN1_TAG));
  const etag = `"${createHash('sha256').update(token).digest('base64url')}"`;
  return { token, etag, iat, exp, ttl: deps.ttlSeconds };
}

/** The signed status list `listId`, or null when no such list exists. */
export async function statusListToken(
  deps: StatusListDeps,
  listId: number,
  now: Date = new Date(),
): Promise<SignedStatusList | null> {
  const state = await statusListState(deps.db, listId);
  if (!state) return null;
  const uri = statusListUri(deps.publicOrigin, listId);
  const key = [state.marker, state.size, deps.keys.current.id, uri, deps.ttlSeconds].join('|');
  const halfLife = (statusListLifetime(deps.ttlSeconds) * 1000) / 2;
  const cached = cache.get(listId);
  if (cached && cached.key === key && now.getTime() - cached.signedAt < halfLife)
    return cached.token;

  const entry: Entry = {
    key,
    signedAt: now.getTime(),
    token: revokedIndices(deps.db, listId).then((revoked) =>
      signStatusList(deps, uri, state.size, revoked, now.getTime()),
    ),
  };
  cache.delete(listId);
  if (cache.size >= MAX_CACHED_LISTS) cache.delete(cache.keys().next().value!);
  cache.set(listId, entry);
  entry.token.catch(() => cache.get(listId) === entry && cache.delete(listId));
  return entry.token;
}
