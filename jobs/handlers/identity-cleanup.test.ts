import { describe, expect, it } from 'vitest';
import type { Job } from 'pg-boss';
import { useTestDatabase } from '../../test/database.ts';
import { createLogger } from '../../app/platform/logger.server.ts';
import { identityCleanupQueue } from '../../app/identity/identity.queues.ts';
import { identityCleanupHandler } from './identity-cleanup.ts';

const database = useTestDatabase();

describe('identity.cleanup', () => {
  it('removes stale challenges, throttles and old sessions, and keeps live ones', async () => {
    const db = database.connection.db;
    const day = 86_400_000;
    const now = Date.now();
    const account = await db
      .insertInto('account')
      .values({ kind: 'proxy', displayName: 'p' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('webauthnChallenge')
      .values([
        { challenge: 'old', purpose: 'authenticate', expiresAt: new Date(now - 2 * day) },
        { challenge: 'live', purpose: 'authenticate', expiresAt: new Date(now + 60_000) },
      ])
      .execute();
    await db
      .insertInto('throttle')
      .values([
        { key: 'old', failures: 3, windowStartedAt: new Date(now - 2 * day) },
        {
          key: 'locked',
          failures: 0,
          windowStartedAt: new Date(now - 2 * day),
          lockedUntil: new Date(now + day),
        },
      ])
      .execute();
    const session = (hash: string, ended: number) => ({
      tokenHash: Buffer.from(hash),
      accountId: account.id,
      idleExpiresAt: new Date(ended),
      absoluteExpiresAt: new Date(ended),
    });
    await db
      .insertInto('session')
      .values([session('ancient', now - 500 * day), session('recent', now - 10 * day)])
      .execute();

    const job = { id: '1', name: identityCleanupQueue.name, data: {} } as Job<
      Record<string, never>
    >;
    const run = () => identityCleanupHandler({ db }).handle([job], createLogger('silent'));
    await run();
    await run(); // a retry changes nothing

    expect(
      (await db.selectFrom('webauthnChallenge').select('challenge').execute()).map(
        (r) => r.challenge,
      ),
    ).toEqual(['live']);
    expect((await db.selectFrom('throttle').select('key').execute()).map((r) => r.key)).toEqual([
      'locked',
    ]);
    const left = await db
      .selectFrom('session')
      .select('tokenHash')
      .where('accountId', '=', account.id)
      .execute();
    expect(left.map((r) => Buffer.from(r.tokenHash).toString())).toEqual(['recent']);
  });
});
