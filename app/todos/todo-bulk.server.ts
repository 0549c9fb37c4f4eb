import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';

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

/**
 * Staff create a to-do for each resident of an uploaded list ('todo.create_bulk' commits with
 * the to-dos). A repeated submission creates nothing and records nothing.
 */
export async function createTodosByStaff(
  db: Db,
  actor: AuditActor,
  input: NewTodosForResidents,
): Promise<{ created: number; requested: number }> {
  return db.transaction().execute(async (trx) => {
    const result = await createTodosForResidents(trx, input);
    if (result.created > 0)
      await recordAudit(trx, {
        ...actor,
        action: 'todo.create_bulk',
        targetType: 'todo_batch',
        targetId: input.idempotencyKey,
        outcome: 'success',
        details: { residents: result.requested, created: result.created, dueDate: input.dueDate },
      });
    return result;
  });
}
