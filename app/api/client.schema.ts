import { z } from 'zod';

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
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    )
    // One message on the field itself (not on an element of the list) so the form can show it.
    .refine(
      (uris) => uris.length >= 1 && uris.length <= 10 && uris.every(acceptableRedirect),
      'clients.errors.redirectUris',
    ),
});

/** https for web callbacks; a private app scheme (reverse domain) for native apps. */
function acceptableRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'https:' || /^[a-z][a-z0-9]*(\.[a-z0-9]+)+:$/.test(url.protocol);
  } catch {
    return false;
  }
}

/** Staff disabling or enabling a registered client. */
export const ClientStateSchema = z.object({
  intent: z.enum(['disable', 'enable']),
  clientId: z.string().regex(/^[a-z0-9][a-z0-9_-]{2,63}$/),
});
