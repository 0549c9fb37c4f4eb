import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createEmptyDatabase } from './database.ts';
import { startPushService, type PushService } from './support/push-service.ts';
import { insertWebPushDevices } from './support/push-devices.ts';
import { connect, type Connection } from '../db/connection.ts';
import { createSession, SESSION_COOKIE } from '../app/identity/session.server.ts';
import {
  acceptStaffInvitation,
  createStaffInvitation,
  prepareInvitedAccount,
} from '../app/identity/staff-invitation.service.server.ts';
import { ensureAdministratorsGroup } from '../app/identity/staff-groups.service.server.ts';
import { permissions } from '../app/identity/permissions.ts';
import { until } from './support/app-process.ts';

/**
 * A web-only and a worker-only process (`MADOGUCHI_ROLE=web|worker node server.ts`) on a
 * database neither has seen before. Whichever starts first, the web process must be able to
 * publish (its transaction sends to the push queues) and the worker must deliver.
 */

let service: PushService;
let caFile: string;
let connection: Connection | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!existsSync('build/server/index.js'))
    throw new Error('the web process serves the app build: run `npm run build` first');
  service = await startPushService();
  caFile = join(mkdtempSync(join(tmpdir(), 'madoguchi-roles-')), 'push-ca.pem');
  writeFileSync(caFile, service.ca);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await connection?.close();
  await service.close();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function start(role: 'web' | 'worker', databaseUrl: string, port: number): ChildProcess {
  const child = spawn(process.execPath, ['server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      MADOGUCHI_ROLE: role,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      MADOGUCHI_PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
      MADOGUCHI_DATA_DIR: mkdtempSync(join(tmpdir(), `madoguchi-${role}-`)),
      MADOGUCHI_SECRET: 'roles-test-root-secret-0123456789abcdef',
      PUSH_EXTRA_CA_FILE: caFile,
      PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true',
      PUSH_QUIET_HOURS: 'off',
      PUSH_WINDOW_HOURS: '0',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  return child;
}

describe('process roles on a fresh database', () => {
  it('a web-only process publishes a notice and a worker-only process pushes it', async () => {
    const url = await createEmptyDatabase('roles_fresh');
    const webPort = await freePort();
    const origin = `http://127.0.0.1:${webPort}`;
    // The web process starts first and alone: it migrates the database and must create the
    // queues it sends to, although it runs none of them.
    start('web', url, webPort);
    await until(async () => (await fetch(`${origin}/readyz`)).ok, 60_000, 'the web process');

    connection = connect(url, { max: 3 });
    const { db } = connection;
    const group = await ensureAdministratorsGroup(db, permissions);
    const invitation = await createStaffInvitation(db, {
      displayName: '役割 試験',
      email: 'roles@city.example.jp',
      groupIds: [group],
      createdBy: null,
    });
    const accountId = await prepareInvitedAccount(db, {
      id: invitation.id,
      displayName: '役割 試験',
      email: 'roles@city.example.jp',
      accountId: null,
    });
    expect(await acceptStaffInvitation(db, invitation.id, accountId, null)).toBe(true);
    const session = await createSession(db, {
      accountId,
      kind: 'staff',
      ip: null,
      userAgent: null,
    });
    await insertWebPushDevices(db, service, 3, { prefix: 'roles-' });

    const form = new URLSearchParams({
      intent: 'publish',
      idempotencyKey: randomUUID(),
      sender: 'operator',
      titleJa: '役割の試験',
      bodyJa: '本文',
      titleEn: '',
      bodyEn: '',
      audience: 'all',
      publishWhen: 'now',
    });
    const response = await fetch(`${origin}/en/admin/notices/new`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `${SESSION_COOKIE}=${session.token}`,
        origin,
        'sec-fetch-site': 'same-origin',
      },
      body: form,
    });
    expect(response.status, await response.clone().text()).toBe(302);
    const notice = await db
      .selectFrom('notice')
      .select('id')
      .where('titleJa', '=', '役割の試験')
      .executeTakeFirstOrThrow();

    // Now a worker-only process joins and delivers what the web process asked for.
    start('worker', url, await freePort());
    const pushed = () =>
      [...service.counts.entries()].filter(([id]) => id.startsWith('roles-')).length === 3;
    await until(pushed, 60_000, 'the pushes of the published notice');
    expect(notice.id).toBeTruthy();
  }, 150_000);
});
