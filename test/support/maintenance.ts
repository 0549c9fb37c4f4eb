import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Db } from '../../db/connection.ts';

/**
 * Reading what the maintenance schedule, the browser-error endpoint and the page-view counter
 * stored (tests read, never write), and serving an express app on a free port.
 */
export function maintenanceWindowsBy(db: Db, accountId: string) {
  return db
    .selectFrom('maintenanceWindow')
    .select(['id', 'startsAt', 'endsAt', 'messageJa', 'messageEn', 'cancelledAt', 'cancelledBy'])
    .where('createdBy', '=', accountId)
    .orderBy('createdAt')
    .execute();
}

export function browserErrorsOn(db: Db, route: string) {
  return db
    .selectFrom('browserErrorDay')
    .select(['day', 'kind', 'message', 'count', 'examples'])
    .where('route', '=', route)
    .orderBy('message')
    .execute();
}

export async function pageViewsOf(db: Db, route: string): Promise<number> {
  const row = await db
    .selectFrom('pageViewDay')
    .select((eb) => eb.fn.sum<string>('views').as('views'))
    .where('route', '=', route)
    .executeTakeFirst();
  return Number(row?.views ?? 0);
}

/** The app on 127.0.0.1 and a free port; close() when done. */
export async function serve(app: Express): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
