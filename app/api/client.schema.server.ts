import { z } from 'zod';
import { externalUrl, hasInvisibleCharacters } from '../platform/links.ts';

/** Staff registering an app client. Messages are keys in the `api` namespace. */
export const ClientSchema = z.object({
  id: z
    .string({ error: 'clients.errors.id' })
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{2,63}$/, 'clients.errors.id'),
  name: z.string({ error: 'clients.errors.name' }).trim().min(1, 'clients.errors.name').max(200),
  redirectUris: z
    .string({ error: 'clients.errors.redirectUris' })
    .transform((text) =>
      text
        .split(/\r\n|\r|\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    )
    // One message on the field itself (not on an element of the list) so the form can show it.
    .refine(
      (uris) => uris.length >= 1 && uris.length <= 10 && uris.every(acceptableRedirect),
      'clients.errors.redirectUris',
    ),
});

/**
 * Where the consent page may send a resident back (RFC 6749 3.1.2, RFC 8252 7.1): https for
 * web callbacks, a private app scheme (reverse domain) for native apps. Redirect URIs are
 * matched exactly as stored, so one must already be in the form a browser follows (nothing
 * it would drop, lower-case, no default port), with no user name (it hides the real host)
 * and no fragment (RFC 6749 forbids one). Checked again on every authorization request.
 */
export function acceptableRedirect(uri: string): boolean {
  if (uri.length > 2000 || hasInvisibleCharacters(uri) || uri.includes('\\')) return false;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.href !== uri || url.hash !== '' || uri.includes('#')) return false;
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return externalUrl(uri) !== null;
  return /^[a-z][a-z0-9]*(\.[a-z0-9]+)+:$/.test(url.protocol);
}

/** Staff disabling or enabling a registered client. */
export const ClientStateSchema = z.object({
  intent: z.enum(['disable', 'enable']),
  clientId: z.string().regex(/^[a-z0-9][a-z0-9_-]{2,63}$/),
});

/** The consent page's query (RFC 6749 4.1.1 with PKCE, RFC 7636 4.3). */
export const AuthorizeQuery = z.object({
  client_id: z.string().min(3).max(64),
  redirect_uri: z.string().max(2000),
  response_type: z.literal('code'),
  code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  code_challenge_method: z.literal('S256'),
  state: z.string().max(500).optional(),
  device_name: z.string().max(100).optional(),
});
