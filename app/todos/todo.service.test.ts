import { describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { useTestDatabase } from '../../test/database.ts';
import { upsertResidents } from '../identity/residents.server.ts';
import {
  createSystemTodo,
  dueSoonTodos,
  findTodo,
  listTodos,
  setTodoStatus,
} from './todo.service.server.ts';

const database = useTestDatabase();
/** The resident closing their own to-do, as the audit log records it. */
const as = (residentId: string) => ({
  actorType: 'resident' as const,
  actorId: null,
  onBehalfOfResidentId: residentId,
  ip: null,
});

async function resident() {
  const registerCode = Array.from({ length: 11 }, () => randomInt(10)).join('');
  await upsertResidents(database.connection.db, [
    {
      registerCode,
      name: '德永　花子',
      nameKana: 'トクナガ　ハナコ',
      nameLatin: null,
      birthDate: '1975-05-05',
      sex: 'female',
      address: '神奈川県三浦市',
      municipalityCode: '142107',
      municipalityName: '三浦市',
      cardManufactureNumber: null,
    },
  ]);
  return (
    await database.connection.db
      .selectFrom('resident')
      .select('id')
      .where('registerCode', '=', registerCode)
      .executeTakeFirstOrThrow()
  ).id;
}

let kinds = 0;
async function todo(
  residentId: string,
  dueDate: string | null,
  overrides: Partial<Parameters<typeof createSystemTodo>[1]> = {},
) {
  const { id } = await createSystemTodo(database.connection.db, {
    residentId,
    kind: `test_${++kinds}`,
    titleJa: `やること${kinds}`,
    titleEn: null,
    dueDate,
    actionUrl: null,
    ...overrides,
  });
  return id;
}

// 23:30 UTC on 31 March is 08:30 on 1 April in Japan: "today" is 1 April.
const lateUtc = new Date('2026-03-31T23:30:00Z');

describe('to-dos', () => {
  it('works out overdue and due soon from the date in Japan, not in UTC', async () => {
    const db = database.connection.db;
    const r = await resident();
    const dueToday = await todo(r, '2026-04-01');
    const dueYesterday = await todo(r, '2026-03-31');
    const inSeven = await todo(r, '2026-04-08');
    const inEight = await todo(r, '2026-04-09');
    const undated = await todo(r, null);

    const byId = new Map((await listTodos(db, r, lateUtc)).map((t) => [t.id, t]));
    expect(byId.get(dueToday)).toMatchObject({ state: 'open', daysLeft: 0, dueSoon: true });
    expect(byId.get(dueYesterday)).toMatchObject({ state: 'overdue', daysLeft: -1 });
    expect(byId.get(inSeven)).toMatchObject({ state: 'open', dueSoon: true });
    expect(byId.get(inEight)).toMatchObject({ state: 'open', dueSoon: false });
    expect(byId.get(undated)).toMatchObject({ state: 'open', daysLeft: null, dueSoon: false });

    // The home page's "due soon or overdue", soonest first.
    expect((await dueSoonTodos(db, r, lateUtc, 7)).map((t) => t.id)).toEqual([
      dueYesterday,
      dueToday,
      inSeven,
    ]);
    // A calendar date in Japan may be passed as well.
    expect((await dueSoonTodos(db, r, '2026-03-31', 0)).map((t) => t.id)).toEqual([dueYesterday]);
  });

  it('lists open to-dos by due date first, then the closed ones', async () => {
    const db = database.connection.db;
    const r = await resident();
    const later = await todo(r, '2026-06-01');
    const none = await todo(r, null);
    const sooner = await todo(r, '2026-05-01');
    const closed = await todo(r, '2026-04-15');
    await setTodoStatus(db, as(r), r, closed, 'dismissed');
    expect((await listTodos(db, r, lateUtc)).map((t) => t.id)).toEqual([
      sooner,
      later,
      none,
      closed,
    ]);
  });

  it('changes status only from open: a double submit changes it once', async () => {
    const db = database.connection.db;
    const r = await resident();
    const id = await todo(r, '2026-04-10');
    const [a, b] = await Promise.all([
      setTodoStatus(db, as(r), r, id, 'done'),
      setTodoStatus(db, as(r), r, id, 'done'),
    ]);
    expect([a.outcome, b.outcome].sort()).toEqual(['changed', 'unchanged']);
    const again = await setTodoStatus(db, as(r), r, id, 'dismissed');
    expect(again.outcome).toBe('unchanged');
    const stored = await findTodo(db, r, id, lateUtc);
    expect(stored).toMatchObject({ status: 'done', state: 'done' });
    expect(stored?.statusChangedAt).toBeInstanceOf(Date);
  });

  it("never changes or shows another resident's to-do", async () => {
    const db = database.connection.db;
    const a = await resident();
    const b = await resident();
    const id = await todo(a, '2026-04-10');
    expect(await setTodoStatus(db, as(b), b, id, 'done')).toEqual({ outcome: 'not_found' });
    expect(await findTodo(db, b, id, lateUtc)).toBeUndefined();
    expect((await listTodos(db, b, lateUtc)).map((t) => t.id)).not.toContain(id);
    expect((await findTodo(db, a, id, lateUtc))?.status).toBe('open');
    expect(await setTodoStatus(db, as(a), a, 'not-a-uuid', 'done')).toEqual({
      outcome: 'not_found',
    });
    expect(await setTodoStatus(db, as(a), a, crypto.randomUUID(), 'done')).toEqual({
      outcome: 'not_found',
    });
  });

  it('creates at most one open system to-do of a kind per resident', async () => {
    const db = database.connection.db;
    const r = await resident();
    const input = {
      residentId: r,
      kind: 'book_card_pickup',
      titleJa: 'カードの受け取りを予約する',
      titleEn: 'Book your card pickup',
      dueDate: '2026-05-31',
      actionUrl: '/reservations',
    };
    const [x, y] = await Promise.all([createSystemTodo(db, input), createSystemTodo(db, input)]);
    expect(x.id).toBe(y.id);
    expect([x.created, y.created].sort()).toEqual([false, true]);
    const again = await createSystemTodo(db, input);
    expect(again).toEqual({ id: x.id, created: false });
    const rows = await db.selectFrom('todo').select('id').where('residentId', '=', r).execute();
    expect(rows).toHaveLength(1);

    // Once that one is done, the system may ask again.
    await setTodoStatus(db, as(r), r, x.id, 'done');
    const next = await createSystemTodo(db, input);
    expect(next.created).toBe(true);
    expect(next.id).not.toBe(x.id);
  });

  it('refuses a system to-do without a title or with an unsafe link', async () => {
    const db = database.connection.db;
    const r = await resident();
    const base = {
      residentId: r,
      kind: 'renew_certificate',
      titleJa: '電子証明書を更新する',
      titleEn: null,
      dueDate: null,
      actionUrl: null,
    };
    await expect(createSystemTodo(db, { ...base, titleJa: null })).rejects.toThrow();
    for (const actionUrl of ['javascript:alert(1)', 'http://example.jp', '//example.jp'])
      await expect(createSystemTodo(db, { ...base, actionUrl })).rejects.toThrow();
    expect((await createSystemTodo(db, base)).created).toBe(true);
  });
});
