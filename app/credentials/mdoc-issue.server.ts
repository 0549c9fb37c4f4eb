import { createHash, randomInt, sign } from 'node:crypto';
import { pooledRandomBytes } from '../platform/random-pool.server.ts';
import { Encoder, Tag } from 'cbor-x';
import { tokyoDate, tokyoDayStart } from '../i18n/dates.ts';
import {
  resolveElements,
  type CredentialSubject,
  type DocumentTypeConfig,
  type DrivingPrivilege,
  type ResolvedElement,
} from './doctype.ts';
import type { IssuerIdentity } from './issuer-certificates.server.ts';
import type { DocumentSigner } from './issuer-keys.server.ts';

/**
 * ISO/IEC 18013-5 IssuerSigned, written with cbor-x and signed with node:crypto (decision
 * 0058): IssuerSignedItems with 32-byte random salts and digest IDs below 2^31, their
 * SHA-256 digests in a Mobile Security Object that carries the device key, the validity and
 * a Token Status List reference, and the MSO in a COSE_Sign1 (ES256) whose unprotected
 * header holds the Document Signer certificate (x5chain). The tests verify the result with
 * @auth0/mdl, which shares none of this code.
 */

/** Where the credential's status bit lives (IETF Token Status List, "status_list" for mdoc). */
export type StatusReference = { idx: number; uri: string };

/** A JWK as jose or a proof header gives it; only EC P-256 public keys are accepted. */
export type DevicePublicJwk = {
  kty?: string;
  crv?: string;
  x?: string;
  y?: string;
  [member: string]: unknown;
};

export type MdocValidity = { signed: Date; validFrom: Date; validUntil: Date };

export type IssueMdocInput = {
  config: DocumentTypeConfig;
  subject: CredentialSubject;
  /** The device key from the app's proof: a public P-256 JWK. */
  devicePublicKey: DevicePublicJwk;
  status: StatusReference;
  signer: DocumentSigner;
  issuer: Pick<IssuerIdentity, 'authorityName' | 'country'>;
  /** MADOGUCHI_MDOC_MAX_DAYS: no mdoc is valid longer, whatever its configuration allows. */
  maxValidityDays: number;
  now?: Date;
  /** Not before `now` (the default). */
  validFrom?: Date;
  /** Default: a new random one (`newDocumentNumber`). */
  documentNumber?: string;
};

export type IssuedMdoc = {
  /** CBOR IssuerSigned; OpenID4VCI's mso_mdoc `credential` is its base64url. */
  issuerSigned: Buffer;
  docType: string;
  documentNumber: string;
  validity: MdocValidity;
  /** The DocumentSigner.id that signed it. */
  signerId: string;
};

export class MdocIssueError extends Error {
  override name = 'MdocIssueError';
}

const cbor = new Encoder({
  useRecords: false,
  mapsAsObjects: false,
  tagUint8Array: false,
  variableMapSize: true,
  useTag259ForMaps: false,
} as ConstructorParameters<typeof Encoder>[0]);
/** Deterministic-enough CBOR for COSE: Maps stay maps, byte strings untagged. */
export const encode = (value: unknown): Buffer => Buffer.from(cbor.encode(value));

/** RFC 8949 tag 0 date-time, without fractions of a second as ISO/IEC 18013-5 asks. */
const tdate = (instant: Date) => new Tag(instant.toISOString().replace(/\.\d{3}Z$/, 'Z'), 0);
/** RFC 8943 full-date, tag 1004. */
const fullDate = (day: string) => new Tag(day, 1004);
/** Encoded CBOR embedded as a byte string (tag 24). */
const embedded = (bytes: Buffer) => new Tag(bytes, 24);

const DAY_MS = 86_400_000;
const wholeSeconds = (instant: Date) => new Date(Math.floor(instant.getTime() / 1000) * 1000);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 16 Crockford base-32 characters (80 random bits): names one credential, nothing else. */
export function newDocumentNumber(): string {
  const bytes = pooledRandomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 16; i++) out = CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)] + out;
  return out;
}

/**
 * signed = now; validFrom ≥ signed; validUntil is the earliest of the configured and the
 * issuer's maximum, the card's end (the day after its expiry date begins, Japan time) and
 * the Document Signer's notAfter. Neither mdoc library checks these; this refuses instead.
 */
export function mdocValidity(input: {
  config: DocumentTypeConfig;
  card: CredentialSubject['card'];
  signer: Pick<DocumentSigner, 'notBefore' | 'notAfter'>;
  maxValidityDays: number;
  now: Date;
  validFrom?: Date;
}): MdocValidity {
  const signed = wholeSeconds(input.now);
  const validFrom = wholeSeconds(input.validFrom ?? signed);
  const days = Math.min(input.config.validity.maxDays, input.maxValidityDays);
  const ends = [signed.getTime() + days * DAY_MS, input.signer.notAfter.getTime()];
  if (input.config.validity.endsWithCard)
    ends.push(tokyoDayStart(input.card.expiresOn, 1).getTime());
  const validUntil = wholeSeconds(new Date(Math.min(...ends)));
  if (input.card.issuedOn > tokyoDate(signed))
    throw new MdocIssueError('the card is not valid yet');
  if (validFrom < signed) throw new MdocIssueError('validFrom is before signed');
  if (validUntil <= validFrom)
    throw new MdocIssueError('no validity left: the card or the Document Signer has expired');
  if (signed < input.signer.notBefore || signed > input.signer.notAfter)
    throw new MdocIssueError('signed lies outside the Document Signer certificate validity');
  return { signed, validFrom, validUntil };
}

// P-256 (SEC 2 secp256r1): y² = x³ − 3x + b over the field of p.
const P256_P = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n;
const P256_B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
const bigint = (bytes: Buffer) => BigInt(`0x${bytes.toString('hex')}`);

/** Whether (x, y), 32 bytes each, is a point on P-256 (what a key import would check). */
export function isP256Point(x: Buffer, y: Buffer): boolean {
  if (x.length !== 32 || y.length !== 32) return false;
  const px = bigint(x);
  const py = bigint(y);
  if (px >= P256_P || py >= P256_P) return false;
  const right = (((px * px) % P256_P) * px - 3n * px + P256_B) % P256_P;
  return (((py * py - right) % P256_P) + P256_P) % P256_P === 0n;
}

/**
 * The device key as a COSE_Key (RFC 9053 EC2, P-256), after checking it is one: the point is
 * checked by arithmetic rather than a key import and export (decision 0060 addendum: those
 * cost 0.1 ms per mdoc on the worker's event loop).
 */
function deviceCoseKey(jwk: DevicePublicJwk): Map<number, number | Buffer> {
  const { kty, crv, x, y } = jwk;
  if (kty !== 'EC' || crv !== 'P-256' || 'd' in jwk || !x || !y)
    throw new MdocIssueError('the device key must be a public EC P-256 key');
  const bx = Buffer.from(x, 'base64url');
  const by = Buffer.from(y, 'base64url');
  if (!isP256Point(bx, by)) throw new MdocIssueError('the device key is not a point on P-256');
  return new Map<number, number | Buffer>([
    [1, 2],
    [-1, 1],
    [-2, bx],
    [-3, by],
  ]);
}

function cborValue(element: ResolvedElement): unknown {
  switch (element.encoding) {
    case 'full-date':
      return fullDate(element.value as string);
    case 'driving-privileges':
      return (element.value as readonly DrivingPrivilege[]).map((p) => {
        const map = new Map<string, unknown>([['vehicle_category_code', p.vehicle_category_code]]);
        if (p.issue_date) map.set('issue_date', fullDate(p.issue_date));
        if (p.expiry_date) map.set('expiry_date', fullDate(p.expiry_date));
        return map;
      });
    default:
      return element.value;
  }
}

function checkStatus(status: StatusReference): void {
  if (!Number.isSafeInteger(status.idx) || status.idx < 0)
    throw new MdocIssueError('the status list index must be a non-negative integer');
  if (!URL.canParse(status.uri)) throw new MdocIssueError('the status list URI is not a URL');
}

/**
 * An untagged COSE_Sign1 (RFC 9052) over `payload`: ES256 by the Document Signer, `alg` and
 * `extraProtected` in the protected header, the DS certificate as x5chain (unprotected). The
 * mdoc's issuerAuth, and the status list CWT (tagged 18 by its caller), are this.
 */
export function coseSign1(
  payload: Buffer,
  signer: DocumentSigner,
  extraProtected: [number, unknown][] = [],
): [Buffer, Map<number, Buffer>, Buffer, Buffer] {
  const protectedHeader = encode(new Map<number, unknown>([[1, -7], ...extraProtected])); // alg: ES256
  const toBeSigned = encode(['Signature1', protectedHeader, Buffer.alloc(0), payload]);
  const signature = sign('sha256', toBeSigned, {
    key: signer.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return [protectedHeader, new Map([[33, signer.certificateDer]]), payload, signature];
}

/** Builds and signs one mdoc; synchronous (node:crypto), so a job can sign many in a row. */
export function issueMdoc(input: IssueMdocInput): IssuedMdoc {
  const { config, subject, signer } = input;
  checkStatus(input.status);
  const deviceKey = deviceCoseKey(input.devicePublicKey);
  const validity = mdocValidity({
    config,
    card: subject.card,
    signer,
    maxValidityDays: input.maxValidityDays,
    now: input.now ?? new Date(),
    validFrom: input.validFrom,
  });
  const documentNumber = input.documentNumber ?? newDocumentNumber();
  const elements = resolveElements(config, subject, {
    today: tokyoDate(validity.signed),
    documentNumber,
    issuer: input.issuer,
  });

  const usedIds = new Set<number>();
  const nameSpaces = new Map<string, Tag[]>();
  const valueDigests = new Map<string, Map<number, Buffer>>();
  for (const element of elements) {
    let digestId: number;
    do digestId = randomInt(0, 2 ** 31);
    while (usedIds.has(digestId));
    usedIds.add(digestId);
    const item = encode(
      new Map<string, unknown>([
        ['digestID', digestId],
        ['random', pooledRandomBytes(32)],
        ['elementIdentifier', element.identifier],
        ['elementValue', cborValue(element)],
      ]),
    );
    const digest = createHash('sha256')
      .update(encode(embedded(item)))
      .digest();
    if (!nameSpaces.has(element.namespace)) {
      nameSpaces.set(element.namespace, []);
      valueDigests.set(element.namespace, new Map());
    }
    nameSpaces.get(element.namespace)!.push(embedded(item));
    valueDigests.get(element.namespace)!.set(digestId, digest);
  }

  const mso = new Map<string, unknown>([
    ['version', '1.0'],
    ['digestAlgorithm', 'SHA-256'],
    ['valueDigests', valueDigests],
    ['deviceKeyInfo', new Map([['deviceKey', deviceKey]])],
    ['docType', config.doctype],
    [
      'validityInfo',
      new Map([
        ['signed', tdate(validity.signed)],
        ['validFrom', tdate(validity.validFrom)],
        ['validUntil', tdate(validity.validUntil)],
      ]),
    ],
    [
      'status',
      new Map([
        [
          'status_list',
          new Map<string, unknown>([
            ['idx', input.status.idx],
            ['uri', input.status.uri],
          ]),
        ],
      ]),
    ],
  ]);
  const issuerAuth = coseSign1(encode(embedded(encode(mso))), signer);
  return {
    issuerSigned: encode(
      new Map<string, unknown>([
        ['nameSpaces', nameSpaces],
        ['issuerAuth', issuerAuth],
      ]),
    ),
    docType: config.doctype,
    documentNumber,
    validity,
    signerId: signer.id,
  };
}
