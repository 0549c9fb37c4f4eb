import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Decoder } from 'cbor-x';
import type { CredentialSubject } from './doctype.ts';
import { demoDrivingLicence, mobileDrivingLicence, myNumberCard } from './doctypes.ts';
import {
  issueMdoc,
  mdocValidity,
  MdocIssueError,
  type IssueMdocInput,
} from './mdoc-issue.server.ts';
import type { IssuerKeys } from './issuer-keys.server.ts';
import { deviceKeyPair, presentAndVerify, testIssuer } from '../../test/support/mdoc-verifier.ts';

const NOW = new Date('2026-12-03T01:00:00Z'); // 10:00 in Tokyo
const subject: CredentialSubject = {
  resident: {
    name: '\u{20BB7}田\u3000正和', // 𠮷田 正和: the registered character, not 吉
    nameKana: 'ヨシダ\u3000マサカズ',
    nameLatin: null,
    birthDate: '2008-12-03', // 18 today in Tokyo
    sex: 'male',
    address: '神奈川県三浦市城山町1番1号',
    municipalityName: '三浦市',
  },
  card: { issuedOn: '2024-04-01', expiresOn: '2034-12-03' },
};
const STATUS = { idx: 4711, uri: 'https://madoguchi.example.jp/credentials/status/1' };

let keys: IssuerKeys;
let foreign: IssuerKeys;
beforeAll(async () => {
  keys = (await testIssuer()).keys;
  foreign = (await testIssuer()).keys;
});
afterEach(() => {
  vi.useRealTimers();
});

function issue(overrides: Partial<IssueMdocInput> = {}) {
  const device = deviceKeyPair();
  const issued = issueMdoc({
    config: myNumberCard,
    subject,
    devicePublicKey: device.publicJwk,
    status: STATUS,
    signer: keys.current,
    issuer: keys.identity,
    maxValidityDays: 90,
    now: NOW,
    ...overrides,
  });
  return { issued, device };
}

const decode = (bytes: Uint8Array) => new Decoder({ mapsAsObjects: false }).decode(bytes);

/** The decoded MSO of an IssuerSigned, read with plain cbor-x (not @auth0/mdl). */
function msoOf(issuerSigned: Uint8Array) {
  const payload = decode(issuerSigned).get('issuerAuth')[2];
  return decode(decode(payload).value);
}

/** Presents `issuerSigned` with `devicePrivateJwk` and verifies it against `roots`. */
function verify(
  issuerSigned: Uint8Array,
  devicePrivateJwk: object,
  roots: IssuerKeys[] = [keys],
  config = myNumberCard,
) {
  const iacaPems = roots.map((r) => r.iaca.certificatePem);
  return presentAndVerify({ config, issuerSigned, devicePrivateJwk, iacaPems });
}

function flipAscii(bytes: Buffer, from: string, to: string): Buffer {
  const at = bytes.indexOf(Buffer.from(from, 'utf8'));
  expect(at).toBeGreaterThan(0);
  const copy = Buffer.from(bytes);
  Buffer.from(to, 'utf8').copy(copy, at);
  return copy;
}

describe('issueMdoc (My Number card) verified by @auth0/mdl', () => {
  it('passes chain, signature, every digest and the device signature; carries every element', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW.getTime() + 60_000 });
    const { issued, device } = issue();
    const { checks, failed, mdoc } = await verify(issued.issuerSigned, device.privateJwk);
    expect(failed).toEqual([]);
    const passed = new Set(checks.filter((c) => c.status === 'PASSED').map((c) => c.id));
    for (const id of [
      'ISSUER_CERTIFICATE_VALIDITY',
      'ISSUER_SIGNATURE_VALIDITY',
      'MSO_SIGNED_DATE_WITHIN_CERTIFICATE_VALIDITY',
      'MSO_VALIDITY_AT_VERIFICATION_TIME',
      'DEVICE_SIGNATURE_VALIDITY',
      'ATTRIBUTE_DIGEST_MATCH',
    ])
      expect(passed).toContain(id);
    const digestChecks = checks.filter((c) => c.id === 'ATTRIBUTE_DIGEST_MATCH');
    expect(digestChecks).toHaveLength(12);

    const [document] = mdoc.documents;
    expect(document!.docType).toBe('org.iso.23220.1.jp.mnc');
    const values = (ns: string) =>
      Object.fromEntries(
        document!.issuerSigned.nameSpaces[ns]!.map((i) => [i.elementIdentifier, i.elementValue]),
      );
    const core = values('org.iso.23220.1');
    expect(core.family_name_unicode).toBe('\u{20BB7}田');
    expect(core.given_name_unicode).toBe('正和');
    expect(core.sex).toBe(1);
    expect(core.age_over_18).toBe(true);
    expect(core.age_in_years).toBe(18);
    expect(core.issuing_country).toBe('JP');
    expect(core.issuing_authority_unicode).toBe('三浦市');
    expect(core.document_number).toBe(issued.documentNumber);
    expect(core.document_number).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(values('org.iso.23220.1.jp').resident_address_unicode).toBe(subject.resident.address);
    expect(Object.keys(document!.issuerSigned.nameSpaces).sort()).toEqual([
      'org.iso.23220.1',
      'org.iso.23220.1.jp',
    ]);
  });

  it('writes dates as the standard says and the MSO as ISO 18013-5 and the status draft say', () => {
    const { issued, device } = issue();
    const items = decode(issued.issuerSigned).get('nameSpaces').get('org.iso.23220.1');
    const elements = new Map<string, { digestID: number; random: Buffer; value: unknown }>();
    for (const tagged of items) {
      expect(tagged.tag).toBe(24);
      const item = decode(tagged.value);
      elements.set(item.get('elementIdentifier'), {
        digestID: item.get('digestID'),
        random: item.get('random'),
        value: item.get('elementValue'),
      });
    }
    const birth = elements.get('birth_date')!.value as { tag: number; value: string };
    expect(birth.tag).toBe(1004);
    expect(birth.value).toBe('2008-12-03');
    expect((elements.get('expiry_date')!.value as { tag: number }).tag).toBe(1004);
    for (const e of elements.values()) expect(e.random.length).toBeGreaterThanOrEqual(16);

    const mso = msoOf(issued.issuerSigned);
    expect(mso.get('version')).toBe('1.0');
    expect(mso.get('digestAlgorithm')).toBe('SHA-256');
    expect(mso.get('docType')).toBe('org.iso.23220.1.jp.mnc');
    // tdate: tag 0 (0xc0) on a 20-character text (0x74), no fractions of a second.
    const msoBytes = decode(decode(issued.issuerSigned).get('issuerAuth')[2]).value as Buffer;
    const tdate = (text: string) => Buffer.concat([Buffer.from([0xc0, 0x74]), Buffer.from(text)]);
    expect(msoBytes.includes(tdate('2026-12-03T01:00:00Z'))).toBe(true); // signed, validFrom
    expect(msoBytes.includes(tdate('2027-03-03T01:00:00Z'))).toBe(true); // validUntil
    const validity = mso.get('validityInfo');
    expect([...validity.keys()]).toEqual(['signed', 'validFrom', 'validUntil']);
    const status = mso.get('status').get('status_list');
    expect(status.get('idx')).toBe(4711);
    expect(status.get('uri')).toBe(STATUS.uri);
    const deviceKey = mso.get('deviceKeyInfo').get('deviceKey');
    expect(Buffer.from(deviceKey.get(-2)).toString('base64url')).toBe(device.publicJwk.x);
    expect(Buffer.from(deviceKey.get(-3)).toString('base64url')).toBe(device.publicJwk.y);
    const protectedHeader = decode(decode(issued.issuerSigned).get('issuerAuth')[0]);
    expect(protectedHeader.get(1)).toBe(-7);
    const x5chain = decode(issued.issuerSigned).get('issuerAuth')[1].get(33);
    expect(Buffer.from(x5chain).equals(keys.current.certificateDer)).toBe(true);
  });

  it('draws digest IDs below 2^31, unique within the MSO, over many issuances', () => {
    for (let n = 0; n < 200; n++) {
      const mso = msoOf(issue().issued.issuerSigned);
      const ids: number[] = [];
      for (const digests of mso.get('valueDigests').values()) ids.push(...digests.keys());
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) {
        expect(Number.isInteger(id)).toBe(true);
        expect(id).toBeGreaterThanOrEqual(0);
        expect(id).toBeLessThan(2 ** 31);
      }
    }
  });

  it('fails verification after one byte of a data element changes', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW.getTime() + 60_000 });
    const { issued, device } = issue();
    const tampered = flipAscii(issued.issuerSigned, '2008-12-03', '2007');
    const { failed } = await verify(tampered, device.privateJwk);
    expect(failed.map((c) => c.id)).toEqual(['ATTRIBUTE_DIGEST_MATCH']);
  });

  it('fails verification after one byte of the MSO changes', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW.getTime() + 60_000 });
    const { issued, device } = issue();
    const tampered = flipAscii(issued.issuerSigned, '2027-03-03T01', '2028');
    const { failed } = await verify(tampered, device.privateJwk);
    expect(failed.map((c) => c.id)).toContain('ISSUER_SIGNATURE_VALIDITY');
  });

  it('fails verification after validUntil', async () => {
    const { issued, device } = issue();
    vi.useFakeTimers({ toFake: ['Date'], now: issued.validity.validUntil.getTime() + 1000 });
    const { failed } = await verify(issued.issuerSigned, device.privateJwk);
    expect(failed.map((c) => c.id)).toEqual(['MSO_VALIDITY_AT_VERIFICATION_TIME']);
  });

  it('fails verification against a foreign IACA', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW.getTime() + 60_000 });
    const { issued, device } = issue();
    const { failed } = await verify(issued.issuerSigned, device.privateJwk, [foreign]);
    expect(failed.map((c) => c.id)).toEqual(['ISSUER_CERTIFICATE_VALIDITY']);
  });

  it('fails the device signature when another key presents the mdoc', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW.getTime() + 60_000 });
    const { issued } = issue();
    const { failed } = await verify(issued.issuerSigned, deviceKeyPair().privateJwk);
    expect(failed.map((c) => c.id)).toEqual(['DEVICE_SIGNATURE_VALIDITY']);
  });
});

describe('issueMdoc refuses what a verifier would not catch', () => {
  const validityBase = () => ({
    config: myNumberCard,
    card: subject.card,
    signer: keys.current,
    maxValidityDays: 90,
    now: NOW,
  });

  it('rejects device keys that are not public P-256 keys', () => {
    const { publicJwk, privateJwk } = deviceKeyPair();
    expect(() => issue({ devicePublicKey: privateJwk as never })).toThrow(MdocIssueError);
    expect(() => issue({ devicePublicKey: { ...publicJwk, crv: 'P-384' } })).toThrow(
      MdocIssueError,
    );
    const offCurve = { ...publicJwk, y: Buffer.alloc(32, 1).toString('base64url') };
    expect(() => issue({ devicePublicKey: offCurve })).toThrow(/not a point/);
  });

  it('ends with the card, the DS certificate or the maximum, whichever is first', () => {
    const base = validityBase();
    expect(mdocValidity(base).validUntil.toISOString()).toBe('2027-03-03T01:00:00.000Z');
    expect(mdocValidity({ ...base, maxValidityDays: 10 }).validUntil.toISOString()).toBe(
      '2026-12-13T01:00:00.000Z',
    );
    // The card is valid through 2026-12-24 in Japan: the mdoc ends at its midnight.
    const shortCard = { issuedOn: '2016-12-24', expiresOn: '2026-12-24' };
    expect(mdocValidity({ ...base, card: shortCard }).validUntil.toISOString()).toBe(
      '2026-12-24T15:00:00.000Z',
    );
    const endingSigner = {
      notBefore: keys.current.notBefore,
      notAfter: new Date('2026-12-05T00:00:00Z'),
    };
    expect(mdocValidity({ ...base, signer: endingSigner }).validUntil.toISOString()).toBe(
      '2026-12-05T00:00:00.000Z',
    );
  });

  it('refuses an expired card, a validFrom before signed, and a signed outside the DS validity', () => {
    const base = validityBase();
    expect(() =>
      mdocValidity({ ...base, card: { issuedOn: '2016-01-01', expiresOn: '2026-12-02' } }),
    ).toThrow(/expired/);
    expect(() => mdocValidity({ ...base, validFrom: new Date(NOW.getTime() - 5000) })).toThrow(
      /validFrom/,
    );
    expect(() =>
      mdocValidity({ ...base, now: new Date(keys.current.notBefore.getTime() - 86_400_000) }),
    ).toThrow(/Document Signer/);
    expect(() =>
      mdocValidity({ ...base, card: { issuedOn: '2027-01-01', expiresOn: '2037-01-01' } }),
    ).toThrow(/not valid yet/);
  });
});

describe('the mDL configuration', () => {
  it('issues an ISO mDL with demo driving privileges that @auth0/mdl verifies', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW.getTime() + 60_000 });
    const device = deviceKeyPair();
    const licence = demoDrivingLicence(subject.resident.birthDate, '2026-12-03');
    const issued = issueMdoc({
      config: mobileDrivingLicence,
      subject: { resident: subject.resident, ...licence },
      devicePublicKey: device.publicJwk,
      status: { idx: 0, uri: STATUS.uri },
      signer: keys.current,
      issuer: keys.identity,
      maxValidityDays: 90,
      now: NOW,
    });
    const { checks, failed, mdoc } = await verify(
      issued.issuerSigned,
      device.privateJwk,
      [keys],
      mobileDrivingLicence,
    );
    expect(failed).toEqual([]);
    expect(checks.map((c) => c.id)).toContain('ISSUING_COUNTRY_MATCHES_CERTIFICATE');
    expect(issued.validity.validUntil.toISOString()).toBe('2027-01-02T01:00:00.000Z'); // 30 days
    const items = mdoc.documents[0]!.issuerSigned.nameSpaces['org.iso.18013.5.1']!;
    const privileges = items.find((i) => i.elementIdentifier === 'driving_privileges')!;
    const [privilege] = privileges.elementValue as Map<string, unknown>[];
    expect(privilege!.get('vehicle_category_code')).toBe('B');
    expect(privilege!.get('issue_date')).toBeDefined();
    expect(items.map((i) => i.elementIdentifier)).toEqual(
      mobileDrivingLicence.namespaces[0]!.elements.map((e) => e.identifier),
    );
  });
});

describe('the device key check (P-256 by arithmetic)', () => {
  it('agrees with a key import on real keys and on keys a bit off', async () => {
    const { generateKeyPairSync, createPublicKey } = await import('node:crypto');
    const { isP256Point } = await import('./mdoc-issue.server.ts');
    const imports = (x: Buffer, y: Buffer) => {
      try {
        createPublicKey({
          key: {
            kty: 'EC',
            crv: 'P-256',
            x: x.toString('base64url'),
            y: y.toString('base64url'),
          },
          format: 'jwk',
        });
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100; i++) {
      const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
        format: 'jwk',
      });
      const x = Buffer.from(jwk.x!, 'base64url');
      const y = Buffer.from(jwk.y!, 'base64url');
      expect(isP256Point(x, y)).toBe(true);
      const off = Buffer.from(y);
      off[i % 32] = off[i % 32]! ^ (1 << (i % 8));
      expect(isP256Point(x, off)).toBe(imports(x, off));
      expect(isP256Point(x, off)).toBe(false);
    }
    const p = Buffer.from(
      'ffffffff00000001000000000000000000000000ffffffffffffffffffffffff',
      'hex',
    );
    expect(isP256Point(p, p)).toBe(false);
    expect(isP256Point(Buffer.alloc(31), Buffer.alloc(32))).toBe(false);
  });
});
