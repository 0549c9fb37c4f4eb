import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { addDays, tokyoDate } from '../i18n/dates.ts';
import {
  closeOpenTodo,
  findOpenTodoOfKind,
  findOpenTodosDueBy,
  findTodoOfResident,
  findTodosByResident,
  insertSystemTodo,
  type TodoRow,
} from './todo.repository.server.ts';
import {
  DUE_SOON_DAYS,
  isTodoLink,
  TODO_KIND,
  todoState,
  type Todo,
  type TodoClosing,
} from './todo.ts';
import { isUuid } from '../platform/ids.ts';

/**
 * "Today" for to-dos is always the calendar date in Japan: pass the current instant (its
 * date is taken in Asia/Tokyo) or a YYYY-MM-DD date already in Japan time.
 */
export type Today = Date | string;

function japanDate(today: Today): string {
  if (typeof today === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`not a calendar date: ${today}`);
    return today;
  }
  return tokyoDate(today);
}

function toTodo(row: TodoRow, today: string): Todo {
  return { ...row, ...todoState(row, today) };
}

/** The resident's to-dos: open ones first by due date, then the done and dismissed ones. */
export async function listTodos(db: Db, residentId: string, today: Today): Promise<Todo[]> {
  const date = japanDate(today);
  return (await findTodosByResident(db, residentId)).map((row) => toTodo(row, date));
}

/**
 * Open to-dos that are overdue or due within `days` days of today (in Japan), soonest first:
 * what the signed-in home lists under "what do I need to do".
 */
export async function dueSoonTodos(
  db: Db,
  residentId: string,
  today: Today,
  days = DUE_SOON_DAYS,
): Promise<Todo[]> {
  const date = japanDate(today);
  return (await findOpenTodosDueBy(db, residentId, addDays(date, days))).map((row) =>
    toTodo(row, date),
  );
}

export type TodoStatusChange =
  /** This call closed the to-do. */
  | { outcome: 'changed'; todo: TodoRow }
  /** It was already closed (a double submit, or closed elsewhere): nothing changed. */
  | { outcome: 'unchanged'; todo: TodoRow }
  /** Not this resident's to-do, or no such to-do: the page answers 404. */
  | { outcome: 'not_found' };

/**
 * Marks an open to-do done or dismissed, recorded ('todo.done' / 'todo.dismiss') with who did
 * it (the resident, their proxy or their app) in the same transaction. The change happens in
 * the database only while the to-do is open, so submitting twice is harmless and records
 * nothing; another resident's to-do is "not found".
 */
export async function setTodoStatus(
  db: Db,
  actor: AuditActor,
  residentId: string,
  todoId: string,
  status: TodoClosing,
  now = new Date(),
): Promise<TodoStatusChange> {
  if (!isUuid(todoId) || !isUuid(residentId)) return { outcome: 'not_found' };
  return db.transaction().execute(async (trx) => {
    const changed = await closeOpenTodo(trx, residentId, todoId, status, now);
    const todo = await findTodoOfResident(trx, residentId, todoId);
    if (!todo) return { outcome: 'not_found' as const };
    if (changed)
      await recordAudit(trx, {
        ...actor,
        action: status === 'done' ? 'todo.done' : 'todo.dismiss',
        targetType: 'todo',
        targetId: todo.id,
        outcome: 'success',
      });
    return { outcome: changed ? ('changed' as const) : ('unchanged' as const), todo };
  });
}

/** One to-do of the resident, or undefined (another resident's looks the same as none). */
export async function findTodo(
  db: Db,
  residentId: string,
  todoId: string,
  today: Today,
): Promise<Todo | undefined> {
  if (!isUuid(todoId)) return undefined;
  const row = await findTodoOfResident(db, residentId, todoId);
  return row ? toTodo(row, japanDate(today)) : undefined;
}

const SystemTodoSchema = z
  .object({
    residentId: z.uuid(),
    kind: z.string().regex(TODO_KIND),
    titleJa: z.string().trim().min(1).max(200).nullable(),
    titleEn: z.string().trim().min(1).max(200).nullable(),
    descriptionJa: z.string().max(2000).nullable().default(null),
    descriptionEn: z.string().max(2000).nullable().default(null),
    dueDate: z.iso.date().nullable(),
    actionUrl: z
      .string()
      .max(2000)
      .refine(isTodoLink, 'not a path on this site or an https address')
      .nullable(),
  })
  .refine((t) => t.titleJa !== null || t.titleEn !== null, { message: 'a title is required' });

export type NewSystemTodo = z.input<typeof SystemTodoSchema>;

/**
 * Gives a resident a to-do from the system ("book your card pickup"), at most one open to-do
 * of a kind per resident: while one is open, calling again returns it and creates nothing.
 */
export async function createSystemTodo(
  db: Db,
  input: NewSystemTodo,
): Promise<{ id: string; created: boolean }> {
  const todo = SystemTodoSchema.parse(input);
  const id = await insertSystemTodo(db, todo);
  if (id) return { id, created: true };
  const existing = await findOpenTodoOfKind(db, todo.residentId, todo.kind);
  // Closed between the conflict and this read: try once more, it can now be created.
  if (!existing) return createSystemTodo(db, input);
  return { id: existing.id, created: false };
}
