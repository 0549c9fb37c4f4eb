import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import type { AppContext } from '../../app/context.ts';
import type { Db } from '../../db/connection.ts';
import { parseEnv } from '../../app/env.server.ts';
import { createLogger } from '../../app/platform/logger.server.ts';
import { loadSecrets } from '../../app/platform/secrets.server.ts';
import { createSession, SESSION_COOKIE } from '../../app/identity/session.server.ts';
import { ensureResidentAccount } from '../../app/identity/identity.service.server.ts';
import { upsertResidents } from '../../app/identity/residents.server.ts';
import {
  acceptStaffInvitation,
  createStaffInvitation,
  prepareInvitedAccount,
} from '../../app/identity/staff-invitation.service.server.ts';
import { upsertGroup } from '../../app/identity/staff-groups.service.server.ts';
import type { Permission } from '../../app/identity/permissions.ts';
import { afterAll, beforeAll } from 'vitest';
import type { useTestDatabase } from '../database.ts';
import { startBoss } from '../../jobs/boss.ts';
import { createQueues, startWorkers } from '../../jobs/worker.ts';
import { queues } from '../../jobs/queues.ts';
import type { AnyQueue } from '../../jobs/enqueue.ts';
import type { AnyHandler } from '../../jobs/queue.ts';

/**
 * Calling a route's loader or action directly, with a real database: the context server.ts
 * would hand it, a Request as a browser (or an app) would send it, and sessions made through
 * the identity services. The pattern for route tests: no HTTP server, no mocks.
 */
const ORIGIN = 'http://localhost:3000';

export function routeContext(db: Db, boss?: PgBoss): AppContext {
  const env = parseEnv({ NODE_ENV: 'test', MADOGUCHI_PUBLIC_ORIGIN: ORIGIN, LOG_LEVEL: 'silent' });
  return {
    db,
    // Routes that send jobs need a started pg-boss; the others never touch it.
    boss: boss ?? (new Proxy({}, { get: () => unusedBoss }) as PgBoss),
    env,
    log: createLogger('silent'),
    secrets: loadSecrets(
      mkdtempSync(join(tmpdir(), 'madoguchi-route-')),
      'route-test-secret-0123456789abcdef',
    ),
    readiness: async () => ({
      ok: true,
      checks: {
        database: { ok: true },
        migrations: { ok: true, pending: [] },
        queue: { ok: true, state: 'running' },
      },
    }),
    cspNonce: 'test-nonce',
    requestId: 'test-request',
    clientIp: '127.0.0.1',
  };
}

/** The same context as a Madoguchi serving another city (its MADOGUCHI_CITY_CODE) sees it. */
export function inCity(context: AppContext, city: string): AppContext {
  return { ...context, env: { ...context.env, MADOGUCHI_CITY_CODE: city } };
}

function unusedBoss(): never {
  throw new Error('this route test gave the context no pg-boss');
}

type Call = {
  path: string;
  params?: Record<string, string>;
  cookie?: string;
  headers?: Record<string, string>;
};

export function loaderArgs(context: AppContext, call: Call): LoaderFunctionArgs {
  return {
    request: new Request(`${ORIGIN}${call.path}`, {
      headers: { ...(call.cookie ? { cookie: call.cookie } : {}), ...call.headers },
    }),
    params: call.params ?? {},
    context,
  };
}

/** A same-origin form post, as the browser sends it after the page's own form. */
export function actionArgs(
  context: AppContext,
  call: Call & { form: Record<string, string> | FormData },
): ActionFunctionArgs {
  const body =
    call.form instanceof FormData ? call.form : new URLSearchParams(Object.entries(call.form));
  return {
    request: new Request(`${ORIGIN}${call.path}`, {
      method: 'POST',
      headers: {
        origin: ORIGIN,
        ...(call.cookie ? { cookie: call.cookie } : {}),
        ...call.headers,
      },
      body,
    }),
    params: call.params ?? {},
    context,
  };
}

/** What a loader or action threw or returned, as a Response when it is one. */
export async function settle<T>(run: () => Promise<T>): Promise<T | Response> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

export async function residentWithSession(db: Db, overrides: { municipalityCode?: string } = {}) {
  const registerCode = digits(11);
  await upsertResidents(db, [
    {
      registerCode,
      name: `髙橋　試験${digits(3)}`,
      nameKana: 'タカハシ　シケン',
      nameLatin: null,
      birthDate: '1980-04-01',
      sex: 'female',
      address: '神奈川県三浦市城山町1番1号',
      municipalityCode: overrides.municipalityCode ?? '142107',
      municipalityName: '三浦市',
      cardManufactureNumber: null,
    },
  ]);
  const resident = await db
    .selectFrom('resident')
    .select(['id', 'name'])
    .where('registerCode', '=', registerCode)
    .executeTakeFirstOrThrow();
  const account = await ensureResidentAccount(db, resident.id);
  const session = await createSession(db, {
    accountId: account.id,
    kind: 'resident',
    ip: null,
    userAgent: null,
  });
  return {
    residentId: resident.id,
    accountId: account.id,
    cookie: `${SESSION_COOKIE}=${session.token}`,
  };
}

/** A staff member in a group holding exactly these permissions, signed in. */
export async function staffWithSession(db: Db, permissions: Permission[]) {
  const group = await upsertGroup(db, {
    name: `route test ${permissions.join(',') || 'none'} ${digits(6)}`,
    permissions,
  });
  const displayName = `職員${digits(4)}`;
  const email = `staff${digits(6)}@city.example.jp`;
  const invitation = await createStaffInvitation(db, {
    displayName,
    email,
    groupIds: [group],
    createdBy: null,
  });
  const accountId = await prepareInvitedAccount(db, {
    id: invitation.id,
    displayName,
    email,
    accountId: null,
  });
  if (!(await acceptStaffInvitation(db, invitation.id, accountId, null)))
    throw new Error('staff invitation not accepted');
  const session = await createSession(db, { accountId, kind: 'staff', ip: null, userAgent: null });
  return { accountId, displayName, email, cookie: `${SESSION_COOKIE}=${session.token}` };
}

/** What a compose action stored under its idempotency key (the route test reads, never writes). */
export function noticesWithKey(db: Db, idempotencyKey: string) {
  return db
    .selectFrom('notice')
    .select(['id', 'titleJa', 'createdBy'])
    .where('idempotencyKey', '=', idempotencyKey)
    .execute();
}

/**
 * Audit entries, oldest first, narrowed by action (or an action prefix such as 'targets.'),
 * actor and target: what route tests check an action recorded.
 */
export function auditEntries(
  db: Db,
  where: { action?: string; actionPrefix?: string; actorId?: string; targetId?: string },
) {
  let query = db
    .selectFrom('auditLog')
    .select(['action', 'outcome', 'actorId', 'targetId', 'details'])
    .orderBy('occurredAt')
    .orderBy('seq');
  if (where.action) query = query.where('action', '=', where.action);
  if (where.actionPrefix) query = query.where('action', 'like', `${where.actionPrefix}%`);
  if (where.actorId) query = query.where('actorId', '=', where.actorId);
  if (where.targetId) query = query.where('targetId', '=', where.targetId);
  return query.execute();
}

/** The audit entries about one target. */
export function auditEntriesAbout(db: Db, targetId: string) {
  return db
    .selectFrom('auditLog')
    .select(['action', 'actorId', 'outcome'])
    .where('targetId', '=', targetId)
    .execute();
}

type StaffSession = Awaited<ReturnType<typeof staffWithSession>>;

/**
 * Staff members signed in before the file's tests, one per name, each in a group holding
 * exactly the given permissions: `const staff = useStaff(db, { manager: ['x:manage'] })`, then
 * `staff.manager.cookie` inside a test.
 */
export function useStaff<K extends string>(
  db: () => Db,
  who: Record<K, Permission[]>,
): Record<K, StaffSession> {
  const staff = {} as Record<K, StaffSession>;
  beforeAll(async () => {
    for (const name of Object.keys(who) as K[])
      staff[name] = await staffWithSession(db(), who[name]);
  });
  return staff;
}

/**
 * A throw-away pg-boss for the file on the test's database: every queue of the app (or the
 * given ones) created, and workers for the given handlers only (none by default). `boss` is
 * set before the tests run; it is stopped after them.
 */
export function useBoss(
  database: ReturnType<typeof useTestDatabase>,
  options: { queues?: readonly AnyQueue[]; handlers?: readonly AnyHandler[] } = {},
) {
  const setup = {} as { boss: PgBoss };
  beforeAll(async () => {
    const log = createLogger('silent');
    setup.boss = await startBoss(database.connection.sql, log, { supervise: false });
    await createQueues(setup.boss, options.queues ?? queues);
    if (options.handlers?.length) await startWorkers(setup.boss, options.handlers, log);
  });
  afterAll(async () => {
    await setup.boss.stop({ graceful: false });
  });
  return setup;
}

/**
 * One route under test at one path: its loader and action called as the browser would (a GET,
 * a same-origin form post), each with a fresh route context, the answer settled (a thrown
 * Response returned). `boss` gives the context a started pg-boss.
 */
export function routeAt<L, A>(
  db: () => Db,
  route: {
    path: string;
    params?: Record<string, string>;
    loader?: (args: LoaderFunctionArgs) => L;
    action?: (args: ActionFunctionArgs) => A;
    boss?: () => PgBoss;
    context?: (context: AppContext) => AppContext;
  },
) {
  const params = route.params ?? { lang: route.path.split('/')[1] ?? 'ja' };
  const context = () => {
    const base = routeContext(db(), route.boss?.());
    return route.context ? route.context(base) : base;
  };
  return {
    load: (cookie?: string, headers?: Record<string, string>) =>
      settle(async () =>
        route.loader!(loaderArgs(context(), { path: route.path, params, cookie, headers })),
      ),
    post: (cookie: string | undefined, form: Record<string, string> | FormData) =>
      settle(async () =>
        route.action!(actionArgs(context(), { path: route.path, params, cookie, form })),
      ),
  };
}
