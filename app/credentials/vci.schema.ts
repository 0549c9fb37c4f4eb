import { z } from 'zod';

/** What one credential request may carry; more proofs than this is refused (batch_size). */
export const BATCH_SIZE = 4;

/** A compact JWS: three base64url parts (the proof check reads it properly). */
const compactJwt = z
  .string()
  .max(8192)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'a compact JWT');

/** OpenID4VCI 1.0 §8.2: by configuration id, with key proofs of type jwt. */
export const CredentialRequest = z.object({
  credential_configuration_id: z.string().min(1).max(200),
  proofs: z.strictObject({
    jwt: z.array(compactJwt).min(1),
  }),
});

/** §9.1 */
export const DeferredCredentialRequest = z.object({
  transaction_id: z.string().min(1).max(200),
});

/** §11.1 */
export const NotificationRequest = z.object({
  notification_id: z.string().min(1).max(200),
  event: z.enum(['credential_accepted', 'credential_failure', 'credential_deleted']),
  event_description: z.string().max(1000).optional(),
});
