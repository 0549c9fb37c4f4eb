import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import { useTestDatabase } from '../../../test/database.ts';
import {
  actionArgs,
  auditEntries,
  loaderArgs,
  residentWithSession,
  routeContext,
  settle,
  staffWithSession,
} from '../../../test/support/routes.ts';
import { testSecrets } from '../../../test/support/app-api.ts';
import { issueCredentials, revocationsOf } from '../../../test/support/issued-credentials.ts';
import { startBoss } from '../../../jobs/boss.ts';
import { createQueues } from '../../../jobs/worker.ts';
import { queues } from '../../../jobs/queues.ts';
import { createLogger } from '../../platform/logger.server.ts';
import * as staffPage from './route.tsx';
import * as myPage from '../$lang.my.credentials/route.tsx';

/**
 * The staff credentials page and the resident's "card data on your phones" page, called
 * directly with a real database; credentials come from the real issuance path.
 */
const database = useTestDatabase();
const db = () => database.connection.db;
let boss: PgBoss;
const context = () => routeContext(db(), boss);

beforeAll(async () => {
  boss = await startBoss(database.connection.sql, createLogger('silent'), { supervise: false });
  await createQueues(boss, queues);
});
afterAll(async () => {
  await boss.stop({ graceful: false });
});

async function residentWithCredentials(keys = 2) {
  const resident = await residentWithSession(db());
  const issued = await issueCredentials(db(), boss, testSecrets(), resident.residentId, { keys });
  return { ...resident, ...issued };
}

describe('staff: /admin/credentials', () => {
  it('refuses staff without credentials:manage (403), loader and action', async () => {
    const r = await residentWithCredentials(1);
    const other = await staffWithSession(db(), ['residents:read', 'targets:manage']);
    const path = `/ja/admin/credentials?resident=${r.residentId}`;
    const loaded = await settle(() =>
      staffPage.loader(
        loaderArgs(context(), { path, params: { lang: 'ja' }, cookie: other.cookie }),
      ),
    );
    expect(loaded instanceof Response && loaded.status).toBe(403);
    const posted = await settle(() =>
      staffPage.action(
        actionArgs(context(), {
          path,
          params: { lang: 'ja' },
          cookie: other.cookie,
          form: { residentId: r.residentId, target: 'all', reason: 'lost_device' },
        }),
      ),
    );
    expect(posted instanceof Response && posted.status).toBe(403);
    expect((await revocationsOf(db(), r.residentId))[0]!.revokedAt).toBeNull();
  });

  it('finds the resident, lists the credentials, revokes one with a reason, then says nothing changed', async () => {
    const r = await residentWithCredentials(2);
    const staff = await staffWithSession(db(), ['credentials:manage']);
    const page = await staffPage.loader(
      loaderArgs(context(), {
        path: `/en/admin/credentials?resident=${r.residentId}`,
        params: { lang: 'en' },
        cookie: staff.cookie,
      }),
    );
    if (page.view !== 'resident') throw new Error('expected the resident view');
    expect(page.credentials).toHaveLength(2);
    expect(page.credentials[0]).toMatchObject({ document: 'My Number Card', state: 'active' });
    expect(page.credentials[0]!.thumbprint).toHaveLength(8);

    const form = { residentId: r.residentId, target: r.credentialIds[0]!, reason: 'lost_device' };
    const call = () =>
      staffPage.action(
        actionArgs(context(), {
          path: `/en/admin/credentials?resident=${r.residentId}&confirm=${form.target}`,
          params: { lang: 'en' },
          cookie: staff.cookie,
          form,
        }),
      );
    const first = await call();
    expect(first).toMatchObject({ done: { outcome: 'revoked', count: 1 } });
    const second = await call();
    expect(second).toMatchObject({ done: { outcome: 'unchanged', count: 0 } });
    const rows = await revocationsOf(db(), r.residentId);
    expect(rows.map((c) => c.revokedReason)).toEqual(['lost_device', null]);
    expect(rows[0]!.revokedBy).toBe(staff.accountId);
    const audits = await auditEntries(db(), {
      action: 'credential.revoke',
      actorId: staff.accountId,
    });
    expect(audits).toHaveLength(2);
  });

  it('needs a reason (and words for "other"): 400 with the field errors, nothing revoked', async () => {
    const r = await residentWithCredentials(1);
    const staff = await staffWithSession(db(), ['credentials:manage']);
    const forms: Record<string, string>[] = [
      { residentId: r.residentId, target: 'all' },
      { residentId: r.residentId, target: 'all', reason: 'staff_other', note: '' },
    ];
    for (const form of forms) {
      const answer = await staffPage.action(
        actionArgs(context(), {
          path: `/ja/admin/credentials?resident=${r.residentId}&confirm=all`,
          params: { lang: 'ja' },
          cookie: staff.cookie,
          form,
        }),
      );
      const body = (answer as unknown as { data: { result: { error: Record<string, string[]> } } })
        .data;
      expect(Object.keys(body.result.error ?? {}).length).toBeGreaterThan(0);
    }
    expect((await revocationsOf(db(), r.residentId))[0]!.revokedAt).toBeNull();
  });

  it("404 for another resident's credential, an unknown resident", async () => {
    const mine = await residentWithCredentials(1);
    const other = await residentWithCredentials(1);
    const staff = await staffWithSession(db(), ['credentials:manage']);
    const posted = await settle(() =>
      staffPage.action(
        actionArgs(context(), {
          path: `/ja/admin/credentials?resident=${mine.residentId}`,
          params: { lang: 'ja' },
          cookie: staff.cookie,
          form: {
            residentId: mine.residentId,
            target: other.credentialIds[0]!,
            reason: 'lost_device',
          },
        }),
      ),
    );
    expect(posted instanceof Response && posted.status).toBe(404);
    const loaded = await settle(() =>
      staffPage.loader(
        loaderArgs(context(), {
          path: `/ja/admin/credentials?resident=${randomUUID()}`,
          params: { lang: 'ja' },
          cookie: staff.cookie,
        }),
      ),
    );
    expect(loaded instanceof Response && loaded.status).toBe(404);
    expect((await revocationsOf(db(), other.residentId))[0]!.revokedAt).toBeNull();
  });
});

describe('resident: /my/credentials', () => {
  it('lists the own credentials and withdraws one (lost phone), idempotently', async () => {
    const r = await residentWithCredentials(2);
    const page = await myPage.loader(
      loaderArgs(context(), {
        path: '/ja/my/credentials',
        params: { lang: 'ja' },
        cookie: r.cookie,
      }),
    );
    expect(page.credentials.map((c) => c.state)).toEqual(['active', 'active']);
    const call = () =>
      myPage.action(
        actionArgs(context(), {
          path: `/ja/my/credentials?confirm=${r.credentialIds[1]}`,
          params: { lang: 'ja' },
          cookie: r.cookie,
          form: { credentialId: r.credentialIds[1]!, reason: 'lost_device' },
        }),
      );
    expect(await call()).toMatchObject({ done: 'revoked' });
    expect(await call()).toMatchObject({ done: 'unchanged' });
    const rows = await revocationsOf(db(), r.residentId);
    expect(rows[1]).toMatchObject({ revokedReason: 'lost_device', revokedBy: r.accountId });
    expect(rows[0]!.revokedAt).toBeNull();
  });

  it("404 for another resident's credential; staff reasons are refused (400)", async () => {
    const mine = await residentWithCredentials(1);
    const other = await residentWithCredentials(1);
    const posted = await settle(() =>
      myPage.action(
        actionArgs(context(), {
          path: '/ja/my/credentials',
          params: { lang: 'ja' },
          cookie: mine.cookie,
          form: { credentialId: other.credentialIds[0]!, reason: 'lost_device' },
        }),
      ),
    );
    expect(posted instanceof Response && posted.status).toBe(404);
    const refused = await myPage.action(
      actionArgs(context(), {
        path: '/ja/my/credentials',
        params: { lang: 'ja' },
        cookie: mine.cookie,
        form: { credentialId: mine.credentialIds[0]!, reason: 'staff_other' },
      }),
    );
    expect((refused as unknown as { init: { status: number } }).init.status).toBe(400);
    expect((await revocationsOf(db(), other.residentId))[0]!.revokedAt).toBeNull();
    expect((await revocationsOf(db(), mine.residentId))[0]!.revokedAt).toBeNull();
  });
});
