import 'reflect-metadata';
import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as x509 from '@peculiar/x509';
import type { Env } from '../env.server.ts';
import {
  createDocumentSignerCertificate,
  createIacaCertificate,
  type CertifiedKey,
  type IssuerIdentity,
} from './issuer-certificates.server.ts';

/**
 * Where the issuer's keys live and which Document Signer signs now (decision 0057).
 *
 * The issuer folder (MADOGUCHI_ISSUER_DIR, default <data dir>/issuer) holds one PEM file per
 * certificate, its private key in the same file, every file mode 0600:
 *   iaca.pem                       the root; its key may be left out (an offline root)
 *   ds-<yyyymmddThhmmssZ>-<n>.pem  one per Document Signer, never deleted
 * MADOGUCHI_IACA_CERT / MADOGUCHI_DS_CERT + MADOGUCHI_DS_KEY (PEM) take precedence over the
 * files. Nothing here is ever written to the database or the repository.
 */

export type DocumentSigner = {
  /** The file stem (ds-…) or "env". */
  id: string;
  certificatePem: string;
  certificateDer: Buffer;
  privateKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
};

export type IssuerKeys = {
  identity: IssuerIdentity;
  iaca: { certificatePem: string; certificateDer: Buffer; notBefore: Date; notAfter: Date };
  /** Every Document Signer still on file, oldest first: old mdocs verify with theirs. */
  signers: readonly DocumentSigner[];
  /** The one that signs new mdocs. */
  current: DocumentSigner;
};

export type IssuerSettings = {
  dir: string;
  identity: IssuerIdentity;
  fromEnv: { iacaCertPem?: string; dsCertPem?: string; dsKeyPem?: string };
  /** A new DS is made at load when the current one has fewer days left than this. */
  renewWhenDaysLeft: number;
};

export class IssuerKeyError extends Error {
  override name = 'IssuerKeyError';
}

const DAY_MS = 86_400_000;
const IACA_FILE = 'iaca.pem';
const DS_FILE = /^ds-\d{8}T\d{6}Z-[0-9a-f]{8}\.pem$/;

export function issuerSettings(env: Env): IssuerSettings {
  return {
    dir: resolve(env.MADOGUCHI_ISSUER_DIR ?? join(env.MADOGUCHI_DATA_DIR, 'issuer')),
    identity: { country: 'JP', authorityName: env.MADOGUCHI_ISSUER_NAME, url: env.publicOrigin },
    fromEnv: {
      iacaCertPem: env.MADOGUCHI_IACA_CERT,
      dsCertPem: env.MADOGUCHI_DS_CERT,
      dsKeyPem: env.MADOGUCHI_DS_KEY,
    },
    // A DS signs an mdoc only inside its own validity, so it must outlive the longest mdoc.
    renewWhenDaysLeft: env.MADOGUCHI_MDOC_MAX_DAYS + 7,
  };
}

/** Writes a file only if none is there (link is atomic): two starting processes agree. */
function writeOnce(file: string, text: string): boolean {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function splitPem(text: string): { certificatePem: string; privateKeyPem?: string } {
  const certificate = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(text);
  const key = /-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----/.exec(text);
  if (!certificate) throw new IssuerKeyError('no CERTIFICATE block in the PEM text');
  return { certificatePem: certificate[0] + '\n', privateKeyPem: key ? key[0] + '\n' : undefined };
}

function bundle(key: CertifiedKey): string {
  return key.certificatePem.trim() + '\n' + key.privateKeyPem.trim() + '\n';
}

function readIaca(settings: IssuerSettings): { certificatePem: string; privateKeyPem?: string } {
  if (settings.fromEnv.iacaCertPem) return splitPem(settings.fromEnv.iacaCertPem);
  return splitPem(readFileSync(join(settings.dir, IACA_FILE), 'utf8'));
}

function toSigner(
  id: string,
  certificatePem: string,
  privateKeyPem: string,
  root: x509.X509Certificate,
): Promise<DocumentSigner> {
  return (async () => {
    const certificate = new x509.X509Certificate(certificatePem);
    const valid = await certificate.verify({ publicKey: root.publicKey, signatureOnly: true });
    if (!valid) throw new IssuerKeyError(`Document Signer ${id} is not certified by the IACA`);
    const privateKey = createPrivateKey(privateKeyPem);
    const fromKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    if (!Buffer.from(certificate.publicKey.rawData).equals(fromKey))
      throw new IssuerKeyError(
        `Document Signer ${id}: the private key does not match the certificate`,
      );
    return {
      id,
      certificatePem: certificate.toString('pem'),
      certificateDer: Buffer.from(certificate.rawData),
      privateKey,
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
    };
  })();
}

function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

async function addDocumentSigner(settings: IssuerSettings, now: Date): Promise<void> {
  const iaca = readIaca(settings);
  if (!iaca.privateKeyPem)
    throw new IssuerKeyError(
      'a new Document Signer needs the IACA private key, which is not in the issuer folder',
    );
  const signer = await createDocumentSignerCertificate(
    { certificatePem: iaca.certificatePem, privateKeyPem: iaca.privateKeyPem },
    settings.identity,
    now,
  );
  const name = `ds-${stamp(now)}-${randomBytes(4).toString('hex')}.pem`;
  writeOnce(join(settings.dir, name), bundle(signer));
}

async function readKeys(settings: IssuerSettings, now: Date): Promise<IssuerKeys> {
  const iacaPem = readIaca(settings);
  const root = new x509.X509Certificate(iacaPem.certificatePem);
  const signers: DocumentSigner[] = [];
  const files = readdirSync(settings.dir)
    .filter((f) => DS_FILE.test(f))
    .sort();
  for (const file of files) {
    const { certificatePem, privateKeyPem } = splitPem(
      readFileSync(join(settings.dir, file), 'utf8'),
    );
    if (!privateKeyPem) throw new IssuerKeyError(`${file} holds no private key`);
    signers.push(await toSigner(file.slice(0, -4), certificatePem, privateKeyPem, root));
  }
  let current: DocumentSigner | undefined;
  const { dsCertPem, dsKeyPem } = settings.fromEnv;
  if (dsCertPem && dsKeyPem) {
    current = await toSigner('env', splitPem(dsCertPem).certificatePem, dsKeyPem, root);
    signers.push(current);
  } else {
    current = signers
      .filter((s) => s.notBefore <= now && now < s.notAfter)
      .sort((a, b) => a.notBefore.getTime() - b.notBefore.getTime())
      .at(-1);
  }
  if (!current) throw new IssuerKeyError('no Document Signer certificate is valid now');
  return {
    identity: settings.identity,
    iaca: {
      certificatePem: root.toString('pem'),
      certificateDer: Buffer.from(root.rawData),
      notBefore: root.notBefore,
      notAfter: root.notAfter,
    },
    signers,
    current,
  };
}

type Loaded = { keys: Promise<IssuerKeys>; ready?: IssuerKeys };
const loaded = new Map<string, Loaded>();

const needsSuccessor = (keys: IssuerKeys, settings: IssuerSettings, now: Date) =>
  keys.current.id !== 'env' &&
  (keys.current.notAfter.getTime() - now.getTime()) / DAY_MS < settings.renewWhenDaysLeft;

/**
 * The issuer's keys: made on the first start (IACA, then a DS under it), read afterwards.
 * A DS with less than `renewWhenDaysLeft` days left is succeeded by a new one here.
 */
export async function loadIssuerKeys(
  settings: IssuerSettings,
  now: Date = new Date(),
): Promise<IssuerKeys> {
  mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
  if (!settings.fromEnv.iacaCertPem)
    try {
      readFileSync(join(settings.dir, IACA_FILE));
    } catch {
      writeOnce(
        join(settings.dir, IACA_FILE),
        bundle(await createIacaCertificate(settings.identity, now)),
      );
    }
  const keys = await readKeys(settings, now).catch(async (error: unknown) => {
    if (settings.fromEnv.dsCertPem || !(error instanceof IssuerKeyError)) throw error;
    if (!/no Document Signer certificate is valid now/.test(error.message)) throw error;
    await addDocumentSigner(settings, now);
    return readKeys(settings, now);
  });
  return needsSuccessor(keys, settings, now) ? rotateDocumentSigner(settings, now) : keys;
}

/**
 * A new Document Signer for new mdocs; the earlier ones stay on file (and in `signers`) so
 * the mdocs they signed keep verifying until they expire.
 */
export async function rotateDocumentSigner(
  settings: IssuerSettings,
  now: Date = new Date(),
): Promise<IssuerKeys> {
  if (settings.fromEnv.dsCertPem)
    throw new IssuerKeyError('the Document Signer comes from MADOGUCHI_DS_CERT: rotate it there');
  await addDocumentSigner(settings, now);
  const keys = await readKeys(settings, now);
  loaded.set(settings.dir, { keys: Promise.resolve(keys), ready: keys });
  return keys;
}

/**
 * This process's issuer keys, loaded (or made) once per issuer folder; a long-running process
 * reloads them — making the DS's successor — when the current DS gets too close to its end.
 */
export function issuerKeys(env: Env, now: Date = new Date()): Promise<IssuerKeys> {
  const settings = issuerSettings(env);
  const entry = loaded.get(settings.dir);
  if (entry && !(entry.ready && needsSuccessor(entry.ready, settings, now))) return entry.keys;
  const next: Loaded = { keys: loadIssuerKeys(settings, now) };
  loaded.set(settings.dir, next);
  next.keys.then(
    (keys) => (next.ready = keys),
    () => loaded.get(settings.dir) === next && loaded.delete(settings.dir),
  );
  return next.keys;
}
