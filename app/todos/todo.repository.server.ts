import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { TodoClosing, TodoStatus } from './todo.ts';

export type TodoRow = {
  id: string;
  kind: string | null;
  source: 'staff' | 'system';
  titleJa: string | null;
  titleEn: string | null;
  descriptionJa: string | null;
  descriptionEn: string | null;
  dueDate: string | null;
  actionUrl: string | null;
  status: TodoStatus;
  statusChangedAt: Date | null;
  createdAt: Date;
};

const columns = [
  'id',
  'kind',
  'source',
  'titleJa',
  'titleEn',
  'descriptionJa',
  'descriptionEn',
  'dueDate',
  'actionUrl',
  'status',
  'statusChangedAt',
  'createdAt',
] as const;

/**
 * A resident's to-dos: open ones first, soonest due date first (none last); then the closed
 * ones, most recently closed first. Walks todo_resident_idx.
 */
export async function findTodosByResident(
  db: Db | Transaction<Database>,
  residentId: string,
  limit = 200,
): Promise<TodoRow[]> {
  return db
    .selectFrom('todo')
    .select(columns)
    .where('residentId', '=', residentId)
    .orderBy(sql`status <> 'open'`)
    .orderBy(sql`case when status = 'open' then due_date end asc nulls last`)
    .orderBy(sql`status_changed_at desc nulls last`)
    .orderBy('createdAt', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Open to-dos due on or before `lastDay` (YYYY-MM-DD), overdue ones included, soonest first. */
export async function findOpenTodosDueBy(
  db: Db | Transaction<Database>,
  residentId: string,
  lastDay: string,
  limit = 50,
): Promise<TodoRow[]> {
  return db
    .selectFrom('todo')
    .select(columns)
    .where('residentId', '=', residentId)
    .where('status', '=', 'open')
    .where('dueDate', '<=', lastDay)
    .orderBy('dueDate')
    .orderBy('createdAt')
    .limit(limit)
    .execute();
}

export async function findTodoOfResident(
  db: Db | Transaction<Database>,
  residentId: string,
  todoId: string,
): Promise<TodoRow | undefined> {
  return db
    .selectFrom('todo')
    .select(columns)
    .where('id', '=', todoId)
    .where('residentId', '=', residentId)
    .executeTakeFirst();
}

/**
 * Closes an open to-do of this resident in one conditional statement: a second submit, or
 * a to-do already closed, changes nothing. Returns whether this call closed it.
 */
export async function closeOpenTodo(
  db: Db | Transaction<Database>,
  residentId: string,
  todoId: string,
  status: TodoClosing,
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('todo')
    .set({ status, statusChangedAt: at })
    .where('id', '=', todoId)
    .where('residentId', '=', residentId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export type NewSystemTodo = {
  residentId: string;
  kind: string;
  titleJa: string | null;
  titleEn: string | null;
  descriptionJa: string | null;
  descriptionEn: string | null;
  dueDate: string | null;
  actionUrl: string | null;
};

/**
 * Inserts a system to-do unless the resident already has an open one of that kind
 * (todo_open_kind_idx decides, so two concurrent calls still make one). Returns the new id,
 * or undefined when one was already open.
 */
export async function insertSystemTodo(
  db: Db | Transaction<Database>,
  todo: NewSystemTodo,
): Promise<string | undefined> {
  const row = await db
    .insertInto('todo')
    .values({ ...todo, source: 'system' })
    .onConflict((oc) =>
      // The predicate is spelled as in the index (a literal, not a parameter) so Postgres
      // can match todo_open_kind_idx.
      oc
        .columns(['residentId', 'kind'])
        .where(sql<boolean>`status = 'open' and kind is not null`)
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function findOpenTodoOfKind(
  db: Db | Transaction<Database>,
  residentId: string,
  kind: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('todo')
    .select('id')
    .where('residentId', '=', residentId)
    .where('kind', '=', kind)
    .where('status', '=', 'open')
    .executeTakeFirst();
}
