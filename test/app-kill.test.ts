import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '../db/connection.ts';
import { embeddedDatabaseUrl } from '../app/platform/database.server.ts';
import { loadSecrets } from '../app/platform/secrets.server.ts';
import { freePort } from '../bench/lib/app.ts';
import { ready, spawnApp, tempFolder, until, type AppProcess } from './support/app-process.ts';

/**
 * Issue 14, "Surviving faults": the app killed with SIGKILL while its embedded PostgreSQL runs
 * (decision 0064). The server outlives the app with its postmaster.pid; the next start on the
 * same data folder must stop it cleanly and come up with every committed row.
 */
const SECRET = 'kill-app-test-root-secret-0123456789abcdef';
const apps: AppProcess[] = [];
let dataDir = '';

const postmasterPid = () => {
  const file = join(dataDir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : null;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(async () => {
  for (const app of apps) app.child.kill('SIGKILL');
  const pid = dataDir ? postmasterPid() : null;
  if (pid && alive(pid)) process.kill(pid, 'SIGINT');
  if (pid) await until(() => !alive(pid), 30_000, 'the left-over server to stop').catch(() => {});
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the app killed with SIGKILL while the embedded PostgreSQL runs', () => {
  it('the next start stops the orphaned server and starts with all committed data', async () => {
    dataDir = tempFolder('kill');
    const env = {
      MADOGUCHI_DATA_DIR: dataDir,
      MADOGUCHI_PG_PORT: String(await freePort()),
      MADOGUCHI_SECRET: SECRET,
      MADOGUCHI_BACKUP: 'off',
      PORT: String(await freePort()),
    };
    const first = await spawnApp(env);
    apps.push(first);
    await ready(first);

    const url = embeddedDatabaseUrl(loadSecrets(dataDir, SECRET), Number(env.MADOGUCHI_PG_PORT));
    const before = connect(url, { max: 1 });
    const title = `committed before the kill ${Date.now()}`;
    await before.sql`insert into notice (kind, audience, sender, title_ja, body_ja, publish_at)
                     values ('broadcast', 'all', 'operator', ${title}, 'body', now())`;
    await before.close();

    first.child.kill('SIGKILL');
    await first.exited;
    const orphan = postmasterPid();
    expect(orphan).toBeTruthy();
    expect(alive(orphan!)).toBe(true); // the server outlived the app

    const second = await spawnApp(env);
    apps.push(second);
    await ready(second);
    expect(alive(orphan!)).toBe(false);
    expect(postmasterPid()).not.toBe(orphan);
    expect(second.output()).toMatch(/left running by a stopped process/);

    const after = connect(url, { max: 1 });
    const rows = await after.sql`select 1 from notice where title_ja = ${title}`;
    await after.close();
    expect(rows).toHaveLength(1);

    // And it still stops cleanly: no server and no pid file left behind.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(postmasterPid()).toBeNull();
  }, 150_000);
});
