import { z } from 'zod';
import { CONTENT_BODY_MAX } from './content.ts';

/**
 * The edit form of one piece in one language. `preview` renders the text as residents would
 * see it and stores nothing; `save` keeps it as a new version; `publish` keeps it (when it
 * differs from the latest version) and makes it the one residents see.
 */
export const ContentEditSchema = z.object({
  intent: z.enum(['preview', 'save', 'publish'], { error: 'edit.errors.intent' }),
  body: z
    .string({ error: 'edit.errors.bodyRequired' })
    .trim()
    .min(1, 'edit.errors.bodyRequired')
    .max(CONTENT_BODY_MAX, 'edit.errors.bodyTooLong'),
});
