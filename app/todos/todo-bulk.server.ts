import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

export type NewTodosForResidents = {
  residentIds: string[];
  titleJa: string | null;
  titleEn: string | null;
  descriptionJa: string | null;
  descriptionEn: string | null;
  /** A calendar date, YYYY-MM-DD. */
  dueDate: string | null;
  /** A path on this site or an https address. */
  actionUrl: string | null;
  createdBy: string | null;
  /** The form's key: each resident's to-do gets `<key>:<resident id>`. */
  idempotencyKey: string;
};

/**
 * Creates one staff to-do for each resident of a list, in one statement. Every to-do carries
 * a key derived from the form's key and its resident, so submitting the same form twice
 * (a double click, a resubmitted page) creates nothing the second time.
 */
export async function createTodosForResidents(
  db: Db,
  input: NewTodosForResidents,
): Promise<{ created: number; requested: number }> {
  const residentIds = [...new Set(input.residentIds)];
  if (residentIds.length === 0) return { created: 0, requested: 0 };
  const result = await sql`
    insert into todo (resident_id, title_ja, title_en, description_ja, description_en, due_date,
                      action_url, source, created_by, idempotency_key)
    select r.id, ${input.titleJa}, ${input.titleEn}, ${input.descriptionJa}, ${input.descriptionEn},
           ${input.dueDate}::date, ${input.actionUrl}, 'staff', ${input.createdBy}::uuid,
           ${input.idempotencyKey} || ':' || r.id::text
    from unnest(${residentIds}::uuid[]) as r(id)
    on conflict (idempotency_key) do nothing`.execute(db);
  return { created: Number(result.numAffectedRows ?? 0), requested: residentIds.length };
}
