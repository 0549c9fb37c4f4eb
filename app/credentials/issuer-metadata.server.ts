import type { Env } from '../env.server.ts';
import type { Localized } from './doctype.ts';
import { documentTypes } from './doctypes.ts';
import { BATCH_SIZE } from './vci.schema.ts';

/** The credential issuer identifier: the public origin (its metadata under /.well-known). */
export const credentialIssuerId = (env: Pick<Env, 'publicOrigin'>) => env.publicOrigin;

export const vciPaths = {
  nonce: '/credentials/nonce',
  credential: '/credentials/credential',
  deferred: '/credentials/deferred',
  notification: '/credentials/notification',
} as const;

const display = (names: Localized) => [
  { name: names.ja, locale: 'ja' },
  { name: names.en, locale: 'en' },
];

/**
 * Credential Issuer Metadata (OpenID4VCI 1.0 §12.2): the endpoints, the batch size, the
 * issuer's names and one mso_mdoc configuration per document type (decision 0058), with
 * its claims by namespace and element. COSE ES256 (-7) signs the MSO; key proofs are ES256 JWTs.
 */
export function credentialIssuerMetadata(env: Pick<Env, 'publicOrigin' | 'MADOGUCHI_ISSUER_NAME'>) {
  const issuer = credentialIssuerId(env);
  return {
    credential_issuer: issuer,
    credential_endpoint: issuer + vciPaths.credential,
    nonce_endpoint: issuer + vciPaths.nonce,
    deferred_credential_endpoint: issuer + vciPaths.deferred,
    notification_endpoint: issuer + vciPaths.notification,
    batch_credential_issuance: { batch_size: BATCH_SIZE },
    display: [
      { name: env.MADOGUCHI_ISSUER_NAME, locale: 'ja' },
      { name: `${env.MADOGUCHI_ISSUER_NAME} (Madoguchi)`, locale: 'en' },
    ],
    credential_configurations_supported: Object.fromEntries(
      documentTypes.map((config) => [
        config.configurationId,
        {
          format: 'mso_mdoc',
          doctype: config.doctype,
          cryptographic_binding_methods_supported: ['cose_key'],
          credential_signing_alg_values_supported: [-7],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
          credential_metadata: {
            display: display(config.display),
            claims: config.namespaces.flatMap(({ namespace, elements }) =>
              elements.map((e) => ({
                path: [namespace, e.identifier],
                ...(e.optional ? {} : { mandatory: true }),
                display: display(e.display),
              })),
            ),
          },
        },
      ]),
    ),
  };
}

/**
 * The credential issuer in the API reference (info.description of the OpenAPI document):
 * OAuth-style endpoints outside /api/v1 whose errors are OpenID4VCI's JSON, not problem+json.
 */
export function openId4VciReference(origin: string): string {
  return `mdoc credentials (OpenID4VCI 1.0, mso_mdoc; decision 0059): metadata at ${origin}/.well-known/openid-credential-issuer. POST ${origin}${vciPaths.nonce} → { c_nonce } (valid 5 min, used once). POST ${origin}${vciPaths.credential} with the account link's access token and { credential_configuration_id, proofs: { jwt: [openid4vci-proof+jwt, ES256, the device key as jwk, aud ${origin}, iat, nonce] } } (at most ${BATCH_SIZE} proofs, one device key each) → 200 { credentials: [{ credential: base64url IssuerSigned }], notification_id } or 202 { transaction_id, interval }; POST ${origin}${vciPaths.deferred} { transaction_id } → the same 200, or 202 while pending; POST ${origin}${vciPaths.notification} { notification_id, event } → 204. Errors there are OpenID4VCI's application/json { error, error_description }: invalid_token (401), invalid_credential_request, unknown_credential_configuration, invalid_proof, invalid_nonce, credential_request_denied (unlinked, no or expired card, moved out, deceased), invalid_transaction_id, invalid_notification_id, invalid_notification_request (400). The credentials are collected once. Verifiers: the issuing authority's root certificate (IACA) is at ${origin}/credentials/iaca.pem and ${origin}/credentials/iaca.der; each mdoc's MSO carries status.status_list { idx, uri }, and GET uri answers the Token Status List as a signed CWT (application/statuslist+cwt, COSE_Sign1 by the Document Signer with its certificate in x5chain, 1 bit per credential, 1 = revoked, ZLIB-compressed), cacheable for its ttl (decision 0060). A resident links an app once on the consent page, which names this card data; the link is the authorisation, and a resident or staff can revoke any credential at any time (decision 0062).`;
}
