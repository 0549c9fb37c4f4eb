import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Encoder } from 'cbor-x';
import {
  DataItem,
  DeviceResponse,
  getCborEncodeDecodeOptions,
  parse,
  Verifier,
  type MDoc,
} from '@auth0/mdl';
import type { DocumentTypeConfig } from '../../app/credentials/doctype.ts';
import { loadIssuerKeys, type IssuerSettings } from '../../app/credentials/issuer-keys.server.ts';

/**
 * Verifying Madoguchi's mdocs the way a verifier abroad would: with @auth0/mdl (its own
 * CBOR model, COSE (cose-kit) and X.509 chain code), which the issuing code never imports.
 * The app's side is played too: the device key signs a DeviceResponse, so the verifier
 * checks that the MSO's device key is the key the app holds.
 */

export function issuerSettingsIn(dir = mkdtempSync(join(tmpdir(), 'madoguchi-issuer-'))) {
  return {
    dir,
    identity: { country: 'JP', authorityName: '三浦市', url: 'https://madoguchi.example.jp' },
    fromEnv: {},
    renewWhenDaysLeft: 97,
  } satisfies IssuerSettings;
}

/** An issuer made at `madeAt` (tests sign at fixed instants after it). */
export async function testIssuer(madeAt = new Date('2026-12-01T00:00:00Z')) {
  const settings = issuerSettingsIn();
  return { settings, keys: await loadIssuerKeys(settings, madeAt) };
}

export function deviceKeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    publicJwk: publicKey.export({ format: 'jwk' }) as {
      kty: string;
      crv: string;
      x: string;
      y: string;
    },
    privateJwk: privateKey.export({ format: 'jwk' }),
  };
}

const auth0Cbor = () => new Encoder(getCborEncodeDecodeOptions());

/** An ISO 18013-5 DeviceResponse holding one IssuerSigned document, spliced byte for byte. */
export function deviceResponseBytes(docType: string, issuerSigned: Uint8Array): Buffer {
  const e = (v: unknown) => Buffer.from(auth0Cbor().encode(v));
  return Buffer.concat([
    Buffer.from([0xa3]), // map(3)
    e('version'),
    e('1.0'),
    e('documents'),
    Buffer.from([0x81, 0xa2]), // array(1), map(2)
    e('docType'),
    e(docType),
    e('issuerSigned'),
    Buffer.from(issuerSigned),
    e('status'),
    e(0),
  ]);
}

export type Check = { status: string; id: string; category: string; reason?: string };

/**
 * Presents every element with a device signature made by `devicePrivateJwk`, then verifies
 * against `iacaPems`. Returns the parsed mdoc and every check @auth0/mdl made.
 */
export async function presentAndVerify(input: {
  config: DocumentTypeConfig;
  issuerSigned: Uint8Array;
  devicePrivateJwk: object;
  iacaPems: string[];
}): Promise<{ checks: Check[]; failed: Check[]; mdoc: MDoc }> {
  const { config } = input;
  const issued = parse(deviceResponseBytes(config.doctype, input.issuerSigned));
  const sessionTranscript = Buffer.from(
    auth0Cbor().encode(DataItem.fromData([null, null, ['madoguchi-test', 'nonce']])),
  );
  const presentation = await DeviceResponse.from(issued)
    .usingPresentationDefinition({
      id: 'all',
      input_descriptors: [
        {
          id: config.doctype,
          format: { mso_mdoc: { alg: ['ES256'] } },
          constraints: {
            limit_disclosure: 'required',
            fields: config.namespaces.flatMap(({ namespace, elements }) =>
              elements.map((el) => ({
                path: [`$['${namespace}']['${el.identifier}']`],
                intent_to_retain: false,
              })),
            ),
          },
        },
      ],
    })
    .usingSessionTranscriptBytes(sessionTranscript)
    .authenticateWithSignature(input.devicePrivateJwk as never, 'ES256')
    .sign();
  const checks: Check[] = [];
  const mdoc = await new Verifier(input.iacaPems).verify(presentation.encode(), {
    encodedSessionTranscript: sessionTranscript,
    onCheck: (check) => checks.push(check as Check),
  });
  return { checks, failed: checks.filter((c) => c.status === 'FAILED'), mdoc };
}
