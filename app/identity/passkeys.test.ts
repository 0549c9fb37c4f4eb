import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestDatabase } from '../../test/database.ts';
import {
  beginAuthentication,
  beginRegistration,
  finishAuthentication,
  finishRegistration,
  PasskeyError,
  relyingParty,
  removePasskey,
} from './passkeys.server.ts';

const database = useTestDatabase();
const rp = relyingParty('http://localhost:3000');

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PasskeyError) return error.reason;
    throw error;
  }
  return 'no error';
}

const counts = async () => {
  const db = database.connection.db;
  const [p, a] = await Promise.all([
    db
      .selectFrom('passkey')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('account')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { passkeys: p.n, accounts: a.n };
};

describe('passkey ceremonies refuse bad answers and store nothing', () => {
  it('malformed registration responses', async () => {
    const db = database.connection.db;
    const account = await db
      .insertInto('account')
      .values({ kind: 'proxy', displayName: 'p' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const before = await counts();
    for (const response of [
      null,
      {},
      {
        id: 'x',
        rawId: 'x',
        type: 'public-key',
        response: { clientDataJSON: 'AAAA', attestationObject: 'AAAA' },
      },
      'garbage',
    ]) {
      const { challengeId } = await beginRegistration(db, rp, account.id);
      expect(await failure(finishRegistration(db, rp, { challengeId, response, name: 'x' }))).toBe(
        'invalid',
      );
    }
    expect(await counts()).toEqual(before);
  });

  it('a proxy-to-be gets no account when the registration fails', async () => {
    const db = database.connection.db;
    const before = await counts();
    const { challengeId } = await beginRegistration(db, rp, {
      newAccount: { kind: 'proxy', displayName: 'someone' },
    });
    expect(
      await failure(finishRegistration(db, rp, { challengeId, response: {}, name: 'x' })),
    ).toBe('invalid');
    expect(await counts()).toEqual(before);
  });

  it('a challenge works once: a replay or an unknown id is "expired"', async () => {
    const db = database.connection.db;
    const { challengeId } = await beginAuthentication(db, rp);
    expect(
      await failure(
        finishAuthentication(db, rp, {
          challengeId,
          response: { id: 'AAAA' },
          allowedKinds: ['resident'],
        }),
      ),
    ).toBe('unknown_passkey');
    expect(
      await failure(
        finishAuthentication(db, rp, {
          challengeId,
          response: { id: 'AAAA' },
          allowedKinds: ['resident'],
        }),
      ),
    ).toBe('expired');
    expect(
      await failure(
        finishAuthentication(db, rp, {
          challengeId: crypto.randomUUID(),
          response: {},
          allowedKinds: ['resident'],
        }),
      ),
    ).toBe('expired');
    expect(
      await failure(
        finishAuthentication(db, rp, {
          challengeId: "1' or '1'='1",
          response: {},
          allowedKinds: ['resident'],
        }),
      ),
    ).toBe('invalid');
  });

  it('an expired challenge is refused', async () => {
    const db = database.connection.db;
    const { challengeId } = await beginAuthentication(db, rp);
    await db
      .updateTable('webauthnChallenge')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('id', '=', challengeId)
      .execute();
    expect(
      await failure(
        finishAuthentication(db, rp, {
          challengeId,
          response: { id: 'AAAA' },
          allowedKinds: ['resident'],
        }),
      ),
    ).toBe('expired');
  });

  it('never removes the last passkey of an account', async () => {
    const db = database.connection.db;
    const account = await db
      .insertInto('account')
      .values({ kind: 'proxy', displayName: 'p' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const key = (n: number) => ({
      accountId: account.id,
      credentialId: Buffer.from(`cred-${account.id}-${n}`),
      publicKey: Buffer.from('pk'),
      counter: 0,
      deviceType: 'singleDevice' as const,
      backedUp: false,
      name: `key ${n}`,
    });
    const [a, b] = await db
      .insertInto('passkey')
      .values([key(1), key(2)])
      .returning('id')
      .execute();
    // Two concurrent removals of the two keys: exactly one succeeds.
    const results = await Promise.all([
      removePasskey(db, account.id, a!.id),
      removePasskey(db, account.id, b!.id),
    ]);
    expect(results.sort()).toEqual(['last', 'removed']);
    const left = await db
      .selectFrom('passkey')
      .select('id')
      .where('accountId', '=', account.id)
      .execute();
    expect(left).toHaveLength(1);
  });
});
