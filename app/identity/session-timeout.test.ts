import { describe, expect, it } from 'vitest';
import type { AppLoadContext } from '@remix-run/node';
import { useTestDatabase } from '../../test/database.ts';
import {
  createSession,
  extendSession,
  readSession,
  revokeSession,
  SESSION_COOKIE,
  SESSION_POLICY,
  sessionClock,
  sessionEndNotice,
  sessionStatus,
} from './session.server.ts';
import { requireAccount, requireStaff } from './guards.server.ts';
import { parseSessionEndReason } from './session-end.ts';
import { viewerOf } from './viewer.server.ts';
import { action, loader } from '../routes/$lang.session.ts';

const database = useTestDatabase();
const minutes = (n: number, from = new Date()) => new Date(from.getTime() + n * 60_000);

async function signedIn(kind: 'staff' | 'resident' | 'proxy', start = new Date()) {
  const db = database.connection.db;
  const account = await db
    .insertInto('account')
    .values({ kind, displayName: `${kind} timeout test` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const session = await createSession(
    db,
    { accountId: account.id, kind, ip: null, userAgent: null },
    start,
  );
  return { ...session, accountId: account.id };
}

/** Moves a session's deadlines as if time had passed on the server. */
async function setDeadlines(id: string, idle: Date, absolute?: Date) {
  await database.connection.db
    .updateTable('session')
    .set({ idleExpiresAt: idle, ...(absolute ? { absoluteExpiresAt: absolute } : {}) })
    .where('id', '=', id)
    .execute();
}

const row = (id: string) =>
  database.connection.db
    .selectFrom('session')
    .select(['idleExpiresAt', 'absoluteExpiresAt', 'lastSeenAt'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const context = () => ({ db: database.connection.db }) as unknown as AppLoadContext;
const withCookie = (url: string, token?: string, init: RequestInit = {}) =>
  new Request(url, {
    ...init,
    headers: token ? { Cookie: `${SESSION_COOKIE}=${token}` } : {},
  });

async function redirectOf(promise: Promise<unknown>): Promise<string> {
  const thrown: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(thrown).toBeInstanceOf(Response);
  const response = thrown as Response;
  expect(response.status).toBe(302);
  return response.headers.get('Location') ?? '';
}

describe('session deadlines for the timeout warning', () => {
  it('a live session carries its idle and absolute expiry; the page gets time left and the limits', async () => {
    const start = new Date();
    const { token } = await signedIn('staff', start);
    const session = await readSession(database.connection.db, token, start);
    expect(session?.idleExpiresAt).toEqual(minutes(SESSION_POLICY.staff.idleMinutes, start));
    expect(session?.absoluteExpiresAt).toEqual(
      minutes(SESSION_POLICY.staff.absoluteHours * 60, start),
    );
    const clock = sessionClock(session!, minutes(5, start));
    expect(clock).toEqual({
      idleMs: 10 * 60_000,
      absoluteMs: (9 * 60 - 5) * 60_000,
      idleMinutes: 15,
      absoluteHours: 9,
    });
    // Never negative, whatever the clocks say.
    expect(sessionClock(session!, minutes(24 * 60, start)).idleMs).toBe(0);
  });

  it('after a read that slides the idle window, the session reports the new deadline', async () => {
    const start = new Date();
    const { token } = await signedIn('proxy', start);
    const later = minutes(10, start);
    const session = await readSession(database.connection.db, token, later);
    expect(session?.idleExpiresAt).toEqual(minutes(SESSION_POLICY.proxy.idleMinutes, later));
  });

  it('asking for the status does not count as use', async () => {
    const start = new Date();
    const { token, id } = await signedIn('staff', start);
    const before = await row(id);
    const status = await sessionStatus(database.connection.db, token, minutes(10, start));
    expect(status).toMatchObject({ signedIn: true, idleMs: 5 * 60_000 });
    expect(await row(id)).toEqual(before);
  });

  it('an ended session says why: idle first, or the absolute limit; signed out says nothing', async () => {
    const db = database.connection.db;
    const start = new Date();
    const idle = await signedIn('staff', start);
    expect(await sessionStatus(db, idle.token, minutes(16, start))).toEqual({
      signedIn: false,
      reason: 'idle',
    });
    const old = await signedIn('staff', start);
    // Active all day: the idle expiry was capped at the absolute one, which has now passed.
    await setDeadlines(old.id, minutes(60, start), minutes(60, start));
    expect(await sessionStatus(db, old.token, minutes(61, start))).toEqual({
      signedIn: false,
      reason: 'absolute',
    });
    const out = await signedIn('staff', start);
    await revokeSession(db, out.id);
    expect(await sessionStatus(db, out.token, start)).toEqual({ signedIn: false, reason: null });
    expect(await sessionStatus(db, 'no-such-token', start)).toEqual({
      signedIn: false,
      reason: null,
    });
    expect(await sessionStatus(db, undefined, start)).toEqual({ signedIn: false, reason: null });
  });

  it('"stay signed in" starts the idle window again at once, never past the absolute expiry', async () => {
    const db = database.connection.db;
    const start = new Date();
    const { token, id } = await signedIn('staff', start);
    // Within the once-a-minute write throttle of ordinary reads: extending still writes.
    const soon = new Date(start.getTime() + 30_000);
    const extended = await extendSession(db, token, soon);
    expect(extended?.idleExpiresAt).toEqual(minutes(15, soon));
    expect((await row(id)).idleExpiresAt).toEqual(minutes(15, soon));

    await setDeadlines(id, minutes(14, start), minutes(20, start));
    const capped = await extendSession(db, token, minutes(10, start));
    expect(capped?.idleExpiresAt).toEqual(minutes(20, start));
    expect((await row(id)).idleExpiresAt).toEqual(minutes(20, start));
  });

  it('an ended session is never brought back by "stay signed in"', async () => {
    const db = database.connection.db;
    const start = new Date();
    const { token, id } = await signedIn('staff', start);
    const late = minutes(16, start);
    expect(await extendSession(db, token, late)).toBeNull();
    expect((await row(id)).idleExpiresAt).toEqual(minutes(15, start));
    expect(await readSession(db, token, late)).toBeNull();
  });
});

describe('the page learns its deadlines from the root loader', () => {
  it('a signed-in viewer carries the time left and the limits; drafts are kept per person', async () => {
    const a = await signedIn('staff');
    const b = await signedIn('staff');
    const viewer = await viewerOf(withCookie('http://localhost/ja/admin', a.token), context());
    expect(viewer?.session.idleMinutes).toBe(15);
    expect(viewer?.session.absoluteHours).toBe(9);
    expect(viewer?.session.idleMs).toBeGreaterThan(14 * 60_000);
    expect(viewer?.session.idleMs).toBeLessThanOrEqual(15 * 60_000);
    expect(viewer?.session.absoluteMs).toBeGreaterThan(8.9 * 3600_000);
    const other = await viewerOf(withCookie('http://localhost/ja/admin', b.token), context());
    expect(viewer?.draftScope).toMatch(/^[\w-]{16}$/);
    expect(other?.draftScope).not.toBe(viewer?.draftScope);
    expect(viewer?.draftScope).not.toContain(a.accountId);
    expect(await viewerOf(withCookie('http://localhost/ja/admin'), context())).toBeNull();
  });
});

describe('the extend route', () => {
  it('POST extends the live session of the cookie; GET only reports', async () => {
    const { token, id } = await signedIn('staff');
    await setDeadlines(id, minutes(1));
    const status = await loader({
      request: withCookie('http://localhost/ja/session', token),
      params: { lang: 'ja' },
      context: context(),
    });
    expect(status.headers.get('Cache-Control')).toBe('no-store');
    const reported = (await status.json()) as { signedIn: boolean; idleMs: number };
    expect(reported.signedIn).toBe(true);
    expect(reported.idleMs).toBeLessThanOrEqual(60_000);
    expect((await row(id)).idleExpiresAt.getTime()).toBeLessThanOrEqual(minutes(1).getTime());

    const response = await action({
      request: withCookie('http://localhost/ja/session', token, { method: 'POST' }),
      params: { lang: 'ja' },
      context: context(),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { signedIn: boolean; idleMs: number };
    expect(body.signedIn).toBe(true);
    expect(body.idleMs).toBeGreaterThan(14 * 60_000);
    expect((await row(id)).idleExpiresAt.getTime()).toBeGreaterThan(minutes(14).getTime());
  });

  it('POST for an ended session answers 401 with the reason and extends nothing', async () => {
    const { token, id } = await signedIn('proxy');
    const past = new Date(Date.now() - 1000);
    await setDeadlines(id, past);
    const response = await action({
      request: withCookie('http://localhost/en/session', token, { method: 'POST' }),
      params: { lang: 'en' },
      context: context(),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ signedIn: false, reason: 'idle' });
    expect((await row(id)).idleExpiresAt).toEqual(past);
  });
});

describe('sign-in redirects say why the session ended', () => {
  it('staff whose session went idle are sent to staff sign-in with reason=idle and the way back', async () => {
    const { token, id } = await signedIn('staff');
    await setDeadlines(id, new Date(Date.now() - 1000));
    const location = await redirectOf(
      requireStaff(
        withCookie('http://localhost/ja/admin/notices/new', token),
        context(),
        'notices:write',
      ),
    );
    const url = new URL(location, 'http://localhost');
    expect(url.pathname).toBe('/ja/admin/sign-in');
    expect(url.searchParams.get('redirectTo')).toBe('/ja/admin/notices/new');
    expect(url.searchParams.get('reason')).toBe('idle');
  });

  it('a proxy past the absolute limit gets reason=absolute; no cookie or a signed-out one gets none', async () => {
    const { token, id } = await signedIn('proxy');
    const past = new Date(Date.now() - 1000);
    await setDeadlines(id, past, past);
    const old = new URL(
      await redirectOf(
        requireAccount(withCookie('http://localhost/en/my?tab=1', token), context()),
      ),
      'http://localhost',
    );
    expect(old.pathname).toBe('/en/sign-in');
    expect(old.searchParams.get('redirectTo')).toBe('/en/my?tab=1');
    expect(old.searchParams.get('reason')).toBe('absolute');

    const none = new URL(
      await redirectOf(requireAccount(withCookie('http://localhost/en/my'), context())),
      'http://localhost',
    );
    expect(none.searchParams.has('reason')).toBe(false);

    const out = await signedIn('proxy');
    await revokeSession(database.connection.db, out.id);
    const signedOut = new URL(
      await redirectOf(requireAccount(withCookie('http://localhost/en/my', out.token), context())),
      'http://localhost',
    );
    expect(signedOut.searchParams.has('reason')).toBe(false);
  });

  it('the sign-in page reads only its own reason codes, with the limits of the account kind', () => {
    const page = (query: string) => new Request(`http://localhost/ja/admin/sign-in?${query}`);
    expect(sessionEndNotice(page('reason=idle'), 'staff')).toEqual({
      reason: 'idle',
      minutes: 15,
      hours: 9,
    });
    expect(sessionEndNotice(page('reason=absolute'), 'resident')).toEqual({
      reason: 'absolute',
      minutes: 30,
      hours: 12,
    });
    for (const bad of ['reason=Your+account+is+locked', 'reason=', 'reason=IDLE', 'x=1']) {
      expect(sessionEndNotice(page(bad), 'staff')).toBeNull();
    }
    expect(parseSessionEndReason('__proto__')).toBeNull();
  });
});
