import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

/**
 * The two certificates an ISO/IEC 18013-5 issuer needs (Annex B): a root, the issuing
 * authority CA (IACA), and a Document Signer (DS) it certifies, whose key signs every MSO.
 * Both P-256 with ECDSA-SHA256. Decision 0057 says why each extension is set as it is.
 */

/** The extended key usage ISO/IEC 18013-5 gives a Document Signer (id-mdlDS, Annex B). */
export const MDOC_DS_EXTENDED_KEY_USAGE = '1.0.18013.5.1.2';

/** Who issues: the city's name and where verifiers learn more (the issuer alternative name). */
export type IssuerIdentity = {
  /** ISO 3166-1 alpha-2; the mdoc's issuing_country must match it. */
  country: 'JP';
  /** The city as it signs, e.g. 三浦市 (the O and CN of both certificates). */
  authorityName: string;
  /** A URL of the issuer (the public origin), carried in the issuer alternative name. */
  url: string;
};

/** A certificate with its P-256 private key, both as PEM (PKCS #8 for the key). */
export type CertifiedKey = { certificatePem: string; privateKeyPem: string };

/** WebCrypto (globalThis.crypto), which @peculiar/x509 uses too. */
const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** ISO/IEC 18013-5 Annex B caps an IACA at 20 years and a DS at 457 days. */
export const IACA_VALIDITY_DAYS = 365 * 10;
export const DS_VALIDITY_DAYS = 457;

function subject(identity: IssuerIdentity, role: string): x509.JsonName {
  return [
    { C: [identity.country] },
    { O: [identity.authorityName] },
    { CN: [`${identity.authorityName} ${role}`] },
  ];
}

/** A positive 16-byte serial (RFC 5280: ≤ 20 octets, unpredictable). */
function serialNumber(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

/** A P-256 pair whose private key can be exported once, into its PEM file. */
async function newKeyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function exportPrivateKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Reads a PKCS #8 P-256 private key for signing certificates. */
export async function importSigningKey(privateKeyPem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(privateKeyPem);
  return crypto.subtle.importKey('pkcs8', der, ECDSA_P256, false, ['sign']);
}

/** A new IACA root: self-signed, CA with path length 0, keyCertSign and cRLSign only. */
export async function createIacaCertificate(
  identity: IssuerIdentity,
  now: Date = new Date(),
  validityDays: number = IACA_VALIDITY_DAYS,
): Promise<CertifiedKey> {
  const keys = await newKeyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: subject(identity, 'IACA'),
    notBefore: now,
    notAfter: new Date(now.getTime() + validityDays * DAY_MS),
    keys,
    signingAlgorithm: ECDSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      new x509.IssuerAlternativeNameExtension([{ type: 'url', value: identity.url }]),
    ],
  });
  return {
    certificatePem: certificate.toString('pem'),
    privateKeyPem: await exportPrivateKey(keys.privateKey),
  };
}

/**
 * A new Document Signer certified by the IACA: not a CA, digitalSignature only, the mdoc DS
 * extended key usage (critical), key identifiers linking it to its root.
 */
export async function createDocumentSignerCertificate(
  iaca: CertifiedKey,
  identity: IssuerIdentity,
  now: Date = new Date(),
  validityDays: number = DS_VALIDITY_DAYS,
): Promise<CertifiedKey> {
  const root = new x509.X509Certificate(iaca.certificatePem);
  const notAfter = new Date(
    Math.min(now.getTime() + validityDays * DAY_MS, root.notAfter.getTime()),
  );
  if (notAfter.getTime() <= now.getTime())
    throw new Error('the IACA certificate has expired: no Document Signer can be made under it');
  const keys = await newKeyPair();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: subject(identity, 'Document Signer'),
    issuer: root.subjectName,
    notBefore: now,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(iaca.privateKeyPem),
    signingAlgorithm: ECDSA_SHA256,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([MDOC_DS_EXTENDED_KEY_USAGE], true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.publicKey),
      new x509.IssuerAlternativeNameExtension([{ type: 'url', value: identity.url }]),
    ],
  });
  return {
    certificatePem: certificate.toString('pem'),
    privateKeyPem: await exportPrivateKey(keys.privateKey),
  };
}
