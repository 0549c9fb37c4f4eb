import { createHmac } from 'node:crypto';
import type { Secrets } from '../platform/secrets.server.ts';

/**
 * A resident's pairwise pseudonymous identifier for one app client (seed 001's PPID):
 * HMAC-SHA-256(secret, client id ‖ resident id). Stable for that client, unlinkable across
 * clients, and never the resident-register code.
 */
export function ppid(secrets: Secrets, clientId: string, residentId: string): string {
  return createHmac('sha256', secrets.key('ppid'))
    .update(`${clientId}\u0000${residentId}`)
    .digest('base64url');
}
