import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import {
  createSession,
  readSession,
  revokeAllSessions,
  rotateSession,
  SESSION_POLICY,
  sessionCookie,
} from './session.server.ts';
import { sha256 } from './crypto.server.ts';

const database = useTestDatabase();

async function account(kind: 'staff' | 'proxy') {
  const row = await database.connection.db
    .insertInto('account')
    .values({ kind, displayName: `${kind} test` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const minutes = (n: number, from = new Date()) => new Date(from.getTime() + n * 60_000);

describe('sessions', () => {
  it('store only the hash of the cookie value', async () => {
    const db = database.connection.db;
    const id = await account('proxy');
    const { token, id: sessionId } = await createSession(db, {
      accountId: id,
      kind: 'proxy',
      ip: '192.0.2.1',
      userAgent: 'test',
    });
    const row = await db
      .selectFrom('session')
      .select('tokenHash')
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(row.tokenHash).equals(sha256(token))).toBe(true);
    expect(Buffer.from(row.tokenHash).toString('utf8')).not.toContain(token);
    expect((await readSession(db, token))?.accountId).toBe(id);
  });

  it('end after the idle time, and the idle time slides with use', async () => {
    const db = database.connection.db;
    const id = await account('staff');
    const start = new Date();
    const { token } = await createSession(
      db,
      { accountId: id, kind: 'staff', ip: null, userAgent: null },
      start,
    );
    const idle = SESSION_POLICY.staff.idleMinutes;
    expect(await readSession(db, token, minutes(idle - 1, start))).not.toBeNull();
    // That read counted as use: the idle window starts again from it.
    expect(await readSession(db, token, minutes(2 * idle - 2, start))).not.toBeNull();
    expect(await readSession(db, token, minutes(4 * idle, start))).toBeNull();
  });

  it('end at the absolute limit however active they are; staff sooner than residents', async () => {
    const db = database.connection.db;
    expect(SESSION_POLICY.staff.absoluteHours).toBeLessThan(SESSION_POLICY.resident.absoluteHours);
    expect(SESSION_POLICY.staff.idleMinutes).toBeLessThan(SESSION_POLICY.resident.idleMinutes);
    const id = await account('staff');
    const start = new Date();
    const { token } = await createSession(
      db,
      { accountId: id, kind: 'staff', ip: null, userAgent: null },
      start,
    );
    const step = SESSION_POLICY.staff.idleMinutes - 1;
    let t = start;
    const limit = minutes(SESSION_POLICY.staff.absoluteHours * 60, start);
    while (minutes(step, t) < limit) {
      t = minutes(step, t);
      expect(await readSession(db, token, t)).not.toBeNull();
    }
    expect(await readSession(db, token, minutes(1, limit))).toBeNull();
  });

  it('rotation makes the old cookie value useless', async () => {
    const db = database.connection.db;
    const id = await account('proxy');
    const { token, id: sessionId } = await createSession(db, {
      accountId: id,
      kind: 'proxy',
      ip: null,
      userAgent: null,
    });
    const fresh = await rotateSession(db, sessionId);
    expect(await readSession(db, token)).toBeNull();
    expect((await readSession(db, fresh))?.id).toBe(sessionId);
  });

  it('sign-out everywhere ends every session of the account and no other', async () => {
    const db = database.connection.db;
    const mine = await account('proxy');
    const other = await account('proxy');
    const a = await createSession(db, {
      accountId: mine,
      kind: 'proxy',
      ip: null,
      userAgent: null,
    });
    const b = await createSession(db, {
      accountId: mine,
      kind: 'proxy',
      ip: null,
      userAgent: null,
    });
    const c = await createSession(db, {
      accountId: other,
      kind: 'proxy',
      ip: null,
      userAgent: null,
    });
    expect(await revokeAllSessions(db, mine)).toBe(2);
    expect(await readSession(db, a.token)).toBeNull();
    expect(await readSession(db, b.token)).toBeNull();
    expect(await readSession(db, c.token)).not.toBeNull();
  });

  it('a disabled account has no live session', async () => {
    const db = database.connection.db;
    const id = await account('staff');
    const { token } = await createSession(db, {
      accountId: id,
      kind: 'staff',
      ip: null,
      userAgent: null,
    });
    await db.updateTable('account').set({ disabledAt: new Date() }).where('id', '=', id).execute();
    expect(await readSession(db, token)).toBeNull();
  });

  it('cookies are HttpOnly and SameSite=Lax, Secure under TLS', () => {
    const plain = sessionCookie('abc', 'resident', false);
    expect(plain).toMatch(/HttpOnly/);
    expect(plain).toMatch(/SameSite=Lax/);
    expect(plain).not.toMatch(/Secure/);
    expect(sessionCookie('abc', 'resident', true)).toMatch(/; Secure/);
  });
});
