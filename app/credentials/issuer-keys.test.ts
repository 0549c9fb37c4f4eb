import { X509Certificate } from 'node:crypto';
import { readdirSync, statSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as pkijs from 'pkijs';
import { issuerSettingsIn } from '../../test/support/mdoc-verifier.ts';
import { MDOC_DS_EXTENDED_KEY_USAGE } from './issuer-certificates.server.ts';
import { parseEnv } from '../env.server.ts';
import {
  issuerKeys,
  IssuerKeyError,
  loadIssuerKeys,
  rotateDocumentSigner,
  type IssuerSettings,
} from './issuer-keys.server.ts';

/**
 * The certificates read back with pkijs and node:crypto — not with @peculiar/x509, which
 * made them.
 */
const MADE = new Date('2026-12-01T00:00:00Z');
const DAY = 86_400_000;

function extensions(der: Buffer) {
  const certificate = pkijs.Certificate.fromBER(new Uint8Array(der));
  const byId = new Map((certificate.extensions ?? []).map((e) => [e.extnID, e]));
  const keyUsageBits = (
    byId.get('2.5.29.15')?.parsedValue as { valueBlock: { valueHexView: Uint8Array } }
  ).valueBlock.valueHexView;
  return { certificate, byId, keyUsageByte: keyUsageBits[0]! };
}

const hex = (view: { valueBlock: { valueHexView: Uint8Array } }) =>
  Buffer.from(view.valueBlock.valueHexView).toString('hex');

describe('issuer keys and certificates', () => {
  it('makes an IACA and a DS with the ISO 18013-5 Annex B extensions', async () => {
    const keys = await loadIssuerKeys(issuerSettingsIn(), MADE);
    const iaca = extensions(keys.iaca.certificateDer);
    const ds = extensions(keys.current.certificateDer);

    // IACA: critical basic constraints CA, path length 0; keyCertSign + cRLSign only.
    const iacaBasic = iaca.byId.get('2.5.29.19')!;
    expect(iacaBasic.critical).toBe(true);
    expect(iacaBasic.parsedValue).toMatchObject({ cA: true, pathLenConstraint: 0 });
    expect(iaca.byId.get('2.5.29.15')!.critical).toBe(true);
    expect(iaca.keyUsageByte).toBe(0x04 | 0x02);
    expect(iaca.byId.has('2.5.29.14')).toBe(true);
    // DS: critical digitalSignature only; the mdoc DS extended key usage, critical; no CA.
    expect(ds.byId.get('2.5.29.15')!.critical).toBe(true);
    expect(ds.keyUsageByte).toBe(0x80);
    const eku = ds.byId.get('2.5.29.37')!;
    expect(eku.critical).toBe(true);
    expect((eku.parsedValue as { keyPurposes: string[] }).keyPurposes).toEqual([
      MDOC_DS_EXTENDED_KEY_USAGE,
    ]);
    expect(ds.byId.get('2.5.29.19')?.parsedValue?.cA ?? false).toBe(false);
    // The DS's authority key identifier is the IACA's subject key identifier.
    const aki = ds.byId.get('2.5.29.35')!.parsedValue as { keyIdentifier: never };
    expect(hex(aki.keyIdentifier)).toBe(hex(iaca.byId.get('2.5.29.14')!.parsedValue as never));
    expect(ds.byId.has('2.5.29.14')).toBe(true);
    // Issuer alternative name: the issuer's URL, on both.
    for (const cert of [iaca, ds]) {
      const ian = cert.byId.get('2.5.29.18')!.parsedValue as {
        altNames: { type: number; value: string }[];
      };
      expect(ian.altNames).toEqual([{ type: 6, value: 'https://madoguchi.example.jp' }]);
    }

    const root = new X509Certificate(keys.iaca.certificateDer);
    const signer = new X509Certificate(keys.current.certificateDer);
    expect(root.ca).toBe(true);
    expect(signer.ca).toBe(false);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(signer.verify(root.publicKey)).toBe(true);
    expect(signer.checkIssued(root)).toBe(true);
    expect(signer.keyUsage).toEqual([MDOC_DS_EXTENDED_KEY_USAGE]);
    for (const cert of [root, signer]) {
      expect(cert.subject).toMatch(/^C=JP\nO=三浦市\nCN=三浦市 /);
      expect(cert.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
      expect(cert.serialNumber).toMatch(/^[0-9A-F]{32}$/);
    }
    expect(new Date(root.validFrom).getTime()).toBe(MADE.getTime());
    expect(new Date(root.validTo).getTime()).toBe(MADE.getTime() + 3650 * DAY);
    expect(new Date(signer.validTo).getTime()).toBe(MADE.getTime() + 457 * DAY);
  });

  it('keeps every key file mode 0600 and reads the same keys on the next start', async () => {
    const settings = issuerSettingsIn(join(issuerSettingsIn().dir, 'issuer'));
    const first = await loadIssuerKeys(settings, MADE);
    const files = readdirSync(settings.dir);
    expect(files.sort()).toEqual([`${first.current.id}.pem`, 'iaca.pem']);
    for (const file of files) {
      expect(statSync(join(settings.dir, file)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(settings.dir, file), 'utf8')).toContain(
        '-----BEGIN PRIVATE KEY-----',
      );
    }
    expect(statSync(settings.dir).mode & 0o077).toBe(0);
    const again = await loadIssuerKeys(settings, new Date(MADE.getTime() + DAY));
    expect(again.iaca.certificateDer.equals(first.iaca.certificateDer)).toBe(true);
    expect(again.current.id).toBe(first.current.id);
  });

  it('rotates: a new DS signs, the old stays for verification; and renews before expiry', async () => {
    const settings = issuerSettingsIn();
    const first = await loadIssuerKeys(settings, MADE);
    const later = new Date(MADE.getTime() + 30 * DAY);
    const rotated = await rotateDocumentSigner(settings, later);
    expect(rotated.current.id).not.toBe(first.current.id);
    expect(rotated.current.notBefore.getTime()).toBe(later.getTime());
    expect(rotated.signers.map((s) => s.id)).toEqual([first.current.id, rotated.current.id]);
    const reread = await loadIssuerKeys(settings, new Date(later.getTime() + DAY));
    expect(reread.current.id).toBe(rotated.current.id);

    // 457 − 97 days after it was made, the DS has too little left for a full mdoc.
    const nearEnd = new Date(later.getTime() + 361 * DAY);
    const renewed = await loadIssuerKeys(settings, nearEnd);
    expect(renewed.current.id).not.toBe(rotated.current.id);
    expect(renewed.signers).toHaveLength(3);
  });

  it('takes the certificates from the environment, and cannot rotate an env DS or without the IACA key', async () => {
    const made = issuerSettingsIn();
    const keys = await loadIssuerKeys(made, MADE);
    const iacaCertOnly = readFileSync(join(made.dir, 'iaca.pem'), 'utf8').replace(
      /-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----\n/,
      '',
    );
    const dsFile = readFileSync(join(made.dir, `${keys.current.id}.pem`), 'utf8');
    const fromEnv: IssuerSettings = {
      ...issuerSettingsIn(),
      fromEnv: {
        iacaCertPem: iacaCertOnly,
        dsCertPem: dsFile.replace(
          /-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----\n/,
          '',
        ),
        dsKeyPem: dsFile.replace(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/, ''),
      },
    };
    const loaded = await loadIssuerKeys(fromEnv, MADE);
    expect(loaded.current.id).toBe('env');
    expect(loaded.current.certificateDer.equals(keys.current.certificateDer)).toBe(true);
    expect(readdirSync(fromEnv.dir)).toEqual([]);
    await expect(rotateDocumentSigner(fromEnv, MADE)).rejects.toThrow(/MADOGUCHI_DS_CERT/);

    // An offline root: only the IACA certificate in the folder; rotation needs its key.
    writeFileSync(join(made.dir, 'iaca.pem'), iacaCertOnly, { mode: 0o600 });
    await expect(rotateDocumentSigner(made, MADE)).rejects.toThrow(IssuerKeyError);
    expect((await loadIssuerKeys(made, MADE)).current.id).toBe(keys.current.id);
  });

  it('refuses a DS that the IACA did not certify', async () => {
    const settings = issuerSettingsIn();
    await loadIssuerKeys(settings, MADE);
    const other = issuerSettingsIn();
    const otherKeys = await loadIssuerKeys(other, MADE);
    const stray = readFileSync(join(other.dir, `${otherKeys.current.id}.pem`), 'utf8');
    writeFileSync(join(settings.dir, 'ds-20261201T000001Z-0000abcd.pem'), stray, { mode: 0o600 });
    await expect(loadIssuerKeys(settings, MADE)).rejects.toThrow(/not certified by the IACA/);
    rmSync(other.dir, { recursive: true });
  });
});

describe('issuerKeys (per process)', () => {
  it('loads once, and makes the successor when the current DS gets too close to its end', async () => {
    const dataDir = issuerSettingsIn().dir;
    const env = parseEnv({ MADOGUCHI_DATA_DIR: dataDir });
    const first = await issuerKeys(env, MADE);
    expect(await issuerKeys(env, new Date(MADE.getTime() + DAY))).toBe(first);
    const late = new Date(MADE.getTime() + 400 * DAY);
    const [a, b] = await Promise.all([issuerKeys(env, late), issuerKeys(env, late)]);
    expect(a).toBe(b);
    expect(a.current.id).not.toBe(first.current.id);
    expect(readdirSync(join(dataDir, 'issuer')).filter((f) => f.startsWith('ds-'))).toHaveLength(2);
  });
});
