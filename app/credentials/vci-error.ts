/**
 * OpenID4VCI 1.0 error responses (§8.3.1.2, §9.3, §11.3) and RFC 6750's for the bearer token:
 * `{ error, error_description }` as application/json, never problem+json — wallets anywhere
 * parse these codes. Every refusal of the issuance endpoints is one of them; none is a 5xx.
 */
export const vciErrorStatus = {
  invalid_token: 401,
  invalid_credential_request: 400,
  unknown_credential_configuration: 400,
  invalid_proof: 400,
  invalid_nonce: 400,
  credential_request_denied: 400,
  invalid_transaction_id: 400,
  invalid_notification_id: 400,
  invalid_notification_request: 400,
  method_not_allowed: 405,
} as const;

export type VciErrorCode = keyof typeof vciErrorStatus;

export class VciError extends Error {
  override name = 'VciError';
  readonly code: VciErrorCode;
  readonly description: string;
  constructor(code: VciErrorCode, description: string) {
    super(`${code}: ${description}`);
    this.code = code;
    this.description = description;
  }
}

export function vciErrorResponse(error: VciError, headers: Record<string, string> = {}): Response {
  const status = vciErrorStatus[error.code];
  return new Response(JSON.stringify({ error: error.code, error_description: error.description }), {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...(status === 401
        ? {
            'WWW-Authenticate': `Bearer error="invalid_token", error_description="${error.description.replaceAll('"', "'")}"`,
          }
        : {}),
      ...headers,
    },
  });
}
