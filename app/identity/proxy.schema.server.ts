import { z } from 'zod';
import { proxyScopes } from './permissions.ts';

/** The resident's grant form. Messages are i18n keys in `identity`. */
export const GrantSchema = z.object({
  proxyName: z
    .string({ error: 'proxies.errors.nameRequired' })
    .trim()
    .min(1, 'proxies.errors.nameRequired')
    .max(200),
  scopes: z
    .array(z.enum(proxyScopes), { error: 'proxies.errors.scopesRequired' })
    .min(1, 'proxies.errors.scopesRequired'),
  endDate: z
    .string({ error: 'proxies.errors.endDate' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'proxies.errors.endDate'),
});
