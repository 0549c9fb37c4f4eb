import { sql } from 'kysely';

/**
 * A value for a jsonb column, sent as text and cast: postgres.js would JSON-encode a string
 * parameter typed jsonb a second time, storing a JSON string instead of the object.
 */
export const jsonb = (value: unknown) => sql<string>`${JSON.stringify(value)}::text::jsonb`;
