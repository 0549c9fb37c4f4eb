/**
 * The audit entry of a change commits with the change or not at all (docs/decisions/0034).
 *
 * To fail a transaction after its audit entry was written, the test adds a deferred constraint
 * trigger on audit_log that raises at COMMIT for entries from one address (FAIL_IP): by then
 * the service has made its change and inserted its entry, so the failure must take both back.
 * The same service called from another address must leave its change and exactly one entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestDatabase } from '../../test/database.ts';
import {
  createClient,
  createResident,
  linkDevice,
  testSecrets,
} from '../../test/support/app-api.ts';
import { staffWithSession } from '../../test/support/routes.ts';
import { disableStaff } from '../identity/staff.service.server.ts';
import { issueFirstAccessLetter } from '../identity/letter-desk.service.server.ts';
import { createSystemTodo, setTodoStatus } from '../todos/todo.service.server.ts';
import { refreshLink } from '../api/refresh.service.server.ts';
import type { AuditActor } from './audit.ts';
import { recordAuditGrouped } from './audit-group.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;

const FAIL_IP = '192.0.2.66';
const OK_IP = '192.0.2.77';

beforeAll(async () => {
  await sql`
    create function test_fail_audit_at_commit() returns trigger language plpgsql as $$
    begin
      raise exception 'forced failure after the audit entry';
    end $$`.execute(db());
  await sql`
    create constraint trigger test_fail_audit_at_commit after insert on audit_log
    deferrable initially deferred for each row
    when (new.ip = ${sql.lit(FAIL_IP)}::inet)
    execute function test_fail_audit_at_commit()`.execute(db());
});

afterAll(async () => {
  await sql`drop trigger if exists test_fail_audit_at_commit on audit_log`.execute(db());
  await sql`drop function if exists test_fail_audit_at_commit()`.execute(db());
});

/** The entries of this action about this target (or with these details), oldest first. */
async function entries(action: string, where: { targetId?: string; linkId?: string }) {
  let query = db()
    .selectFrom('auditLog')
    .select(['action', 'outcome', 'actorType', 'actorId', 'onBehalfOfResidentId', 'ip', 'details'])
    .where('action', '=', action)
    .orderBy('id');
  if (where.targetId) query = query.where('targetId', '=', where.targetId);
  if (where.linkId) query = query.where(sql<string>`details->>'linkId'`, '=', where.linkId);
  return query.execute();
}

const staffActor = (accountId: string, ip: string) => ({
  actorType: 'staff' as const,
  actorId: accountId,
  onBehalfOfResidentId: null,
  ip,
});

describe('a staff change and its audit entry', () => {
  it('disabling a staff member: a failure at commit leaves neither the change nor the entry', async () => {
    const admin = await staffWithSession(db(), ['staff:manage']);
    const target = await staffWithSession(db(), ['notices:write']);
    const disabledAt = () =>
      db()
        .selectFrom('account')
        .select('disabledAt')
        .where('id', '=', target.accountId)
        .executeTakeFirstOrThrow()
        .then((r) => r.disabledAt);
    const liveSessions = async () =>
      (
        await db()
          .selectFrom('session')
          .select('id')
          .where('accountId', '=', target.accountId)
          .where('revokedAt', 'is', null)
          .execute()
      ).length;

    await expect(
      disableStaff(db(), staffActor(admin.accountId, FAIL_IP), target.accountId),
    ).rejects.toThrow(/forced failure after the audit entry/);
    expect(await disabledAt()).toBeNull();
    expect(await liveSessions()).toBe(1);
    expect(await entries('staff.disable', { targetId: target.accountId })).toEqual([]);

    const done = await disableStaff(db(), staffActor(admin.accountId, OK_IP), target.accountId);
    expect(done).toMatchObject({ outcome: 'ok', sessions: 1 });
    expect(await disabledAt()).toBeInstanceOf(Date);
    expect(await liveSessions()).toBe(0);
    expect(await entries('staff.disable', { targetId: target.accountId })).toEqual([
      {
        action: 'staff.disable',
        outcome: 'success',
        actorType: 'staff',
        actorId: admin.accountId,
        onBehalfOfResidentId: null,
        ip: OK_IP,
        details: { sessions: 1 },
      },
    ]);
  });
});

describe('a letter issued at the desk and its audit entry', () => {
  it('a failure at commit leaves no letter and nothing recorded; a retry issues one letter once', async () => {
    const clerk = await staffWithSession(db(), ['letters:issue']);
    const residentId = await createResident(db());
    const input = { residentId, idempotencyKey: `desk-${residentId}` };
    const letters = () =>
      db().selectFrom('letter').select('id').where('residentId', '=', residentId).execute();
    const issued = () =>
      db()
        .selectFrom('auditLog')
        .select(['targetId', 'ip'])
        .where('action', '=', 'letter.issue')
        .where('onBehalfOfResidentId', '=', residentId)
        .execute();

    await expect(
      issueFirstAccessLetter(db(), testSecrets(), staffActor(clerk.accountId, FAIL_IP), input),
    ).rejects.toThrow(/forced failure after the audit entry/);
    expect(await letters()).toEqual([]);
    expect(await issued()).toEqual([]);

    const first = await issueFirstAccessLetter(
      db(),
      testSecrets(),
      staffActor(clerk.accountId, OK_IP),
      input,
    );
    const again = await issueFirstAccessLetter(
      db(),
      testSecrets(),
      staffActor(clerk.accountId, OK_IP),
      input,
    );
    if (first.outcome !== 'issued') throw new Error(`not issued: ${first.outcome}`);
    expect(again).toEqual({ outcome: 'replayed', letterId: first.letterId });
    expect(await letters()).toEqual([{ id: first.letterId }]);
    expect(await issued()).toEqual([{ targetId: first.letterId, ip: OK_IP }]);
  });
});

describe("a resident's change and its audit entry", () => {
  it('closing a to-do: a failure at commit leaves the to-do open and nothing recorded', async () => {
    const residentId = await createResident(db());
    const { id: todoId } = await createSystemTodo(db(), {
      residentId,
      kind: 'test_audit_in_transaction',
      titleJa: '確認',
      titleEn: 'Check',
      dueDate: null,
      actionUrl: null,
    });
    const actor = (ip: string): AuditActor => ({
      actorType: 'resident',
      actorId: null,
      onBehalfOfResidentId: residentId,
      ip,
    });
    const status = () =>
      db()
        .selectFrom('todo')
        .select('status')
        .where('id', '=', todoId)
        .executeTakeFirstOrThrow()
        .then((r) => r.status);

    await expect(setTodoStatus(db(), actor(FAIL_IP), residentId, todoId, 'done')).rejects.toThrow(
      /forced failure after the audit entry/,
    );
    expect(await status()).toBe('open');
    expect(await entries('todo.done', { targetId: todoId })).toEqual([]);

    const done = await setTodoStatus(db(), actor(OK_IP), residentId, todoId, 'done');
    expect(done.outcome).toBe('changed');
    expect(await status()).toBe('done');
    expect(await entries('todo.done', { targetId: todoId })).toHaveLength(1);

    // Closing it again changes nothing and records nothing.
    expect((await setTodoStatus(db(), actor(OK_IP), residentId, todoId, 'done')).outcome).toBe(
      'unchanged',
    );
    expect(await entries('todo.done', { targetId: todoId })).toHaveLength(1);
  });
});

describe("an app's change and its audit entry", () => {
  it('a token refresh: a failure at commit leaves the token unrotated and nothing recorded', async () => {
    const secrets = testSecrets();
    const clientId = await createClient(db());
    const residentId = await createResident(db());
    const tokens = await linkDevice(db(), secrets, clientId, residentId);
    const refresh = (ip: string) =>
      refreshLink(db(), { clientId, refreshToken: tokens.refresh_token, ip });
    const { linkId } = await db()
      .selectFrom('appLink')
      .select('id as linkId')
      .where('residentId', '=', residentId)
      .executeTakeFirstOrThrow();

    await expect(refresh(FAIL_IP)).rejects.toThrow(/forced failure after the audit entry/);
    expect(await entries('app.token_refresh', { linkId })).toEqual([]);

    // Had the rotation committed, this second use of the same token would be a reuse.
    const ok = await refresh(OK_IP);
    expect(ok.outcome).toBe('ok');
    expect(await entries('app.token_refresh', { linkId })).toEqual([
      {
        action: 'app.token_refresh',
        outcome: 'success',
        actorType: 'app',
        actorId: clientId,
        onBehalfOfResidentId: residentId,
        ip: OK_IP,
        details: { linkId },
      },
    ]);
    expect(await entries('app.token_reuse', { linkId })).toEqual([]);

    // The rotated token presented again: the family is revoked, the link ends, and the reuse
    // is recorded in that same transaction.
    expect((await refresh(OK_IP)).outcome).toBe('reused');
    expect(await entries('app.token_reuse', { linkId })).toHaveLength(1);
    const link = await db()
      .selectFrom('appLink')
      .select('endReason')
      .where('id', '=', linkId)
      .executeTakeFirstOrThrow();
    expect(link.endReason).toBe('token_reuse');
  });
});

describe('the grouped writer for refused attempts', () => {
  it('commits every entry of a burst, and one bad entry fails only its own caller', async () => {
    const marker = `group-${Date.now()}`;
    const entry = (n: number) => ({
      actorType: 'app' as const,
      actorId: marker,
      action: 'app.token_refresh',
      outcome: 'failure' as const,
      details: { n },
    });
    const results = await Promise.allSettled([
      ...Array.from({ length: 40 }, (_, n) => recordAuditGrouped(db(), entry(n))),
      recordAuditGrouped(db(), { ...entry(-1), action: 'Not An Action' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(40);
    expect(results.at(-1)?.status).toBe('rejected');
    const stored = await db()
      .selectFrom('auditLog')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('actorId', '=', marker)
      .executeTakeFirstOrThrow();
    expect(stored.n).toBe(40);
  });
});
