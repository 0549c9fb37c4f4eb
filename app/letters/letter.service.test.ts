import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connect } from '../../db/connection.ts';
import { lockLetterIssue } from './letter.repository.server.ts';
import { useTestDatabase } from '../../test/database.ts';
import { loadSecrets } from '../platform/secrets.server.ts';
import { upsertResidents } from '../identity/residents.server.ts';
import {
  findPrintableLetter,
  issueLetter,
  issueLetterOnce,
  letterLinkToken,
  readLetterLinkToken,
} from './letter.service.server.ts';
import {
  checkLetter,
  CLIENT_THROTTLE,
  LETTER_LOCK,
  markLetterUsed,
} from './letter-check.service.server.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const database = useTestDatabase();
const secrets = loadSecrets(mkdtempSync(join(tmpdir(), 'letters-test-')));
let counter = 0;

async function resident(birthDate = '1980-04-01') {
  const registerCode = String(10_000_000_000 + ++counter * 7919);
  await upsertResidents(database.connection.db, [
    {
      registerCode,
      name: '山﨑　花子',
      nameKana: 'ヤマザキ　ハナコ',
      nameLatin: null,
      birthDate,
      sex: 'female',
      address: '神奈川県三浦市',
      municipalityCode: '142107',
      municipalityName: '三浦市',
      cardManufactureNumber: null,
    },
  ]);
  return (
    await database.connection.db
      .selectFrom('resident')
      .select('id')
      .where('registerCode', '=', registerCode)
      .executeTakeFirstOrThrow()
  ).id;
}

const client = () => `test:ip:${++counter}`;

describe('letters', () => {
  it('accepts the right ID, password and birth date however the ID is typed', async () => {
    const db = database.connection.db;
    const id = await resident('1975-12-03');
    const letter = await issueLetter(db, secrets, {
      residentId: id,
      purpose: 'first_access',
      issuedBy: null,
    });
    expect(letter.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    // Lower case, no hyphens, full-width characters: all the same letter.
    const typed = letter.code
      .toLowerCase()
      .replaceAll('-', '')
      .replace(/[0-9a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const result = await checkLetter(db, {
      purpose: 'first_access',
      code: typed,
      password: letter.password,
      birthDate: '1975-12-03',
      clientKey: client(),
    });
    expect(result).toEqual({ outcome: 'ok', letterId: letter.id, residentId: id });
  });

  it('gives one answer for a wrong password, a wrong birth date and an unknown ID', async () => {
    const db = database.connection.db;
    const id = await resident('1990-01-01');
    const letter = await issueLetter(db, secrets, {
      residentId: id,
      purpose: 'first_access',
      issuedBy: null,
    });
    const base = { purpose: 'first_access' as const, clientKey: client() };
    expect(
      await checkLetter(db, {
        ...base,
        code: letter.code,
        password: 'WRONGWRONG',
        birthDate: '1990-01-01',
      }),
    ).toEqual({ outcome: 'invalid' });
    expect(
      await checkLetter(db, {
        ...base,
        code: letter.code,
        password: letter.password,
        birthDate: '1990-01-02',
      }),
    ).toEqual({ outcome: 'invalid' });
    expect(
      await checkLetter(db, {
        ...base,
        code: 'ZZZZ-ZZZZ-ZZZZ',
        password: letter.password,
        birthDate: '1990-01-01',
      }),
    ).toEqual({ outcome: 'invalid' });
  });

  it(`locks a letter after ${LETTER_LOCK.maxFailures} wrong attempts, even with the right password afterwards`, async () => {
    const db = database.connection.db;
    const id = await resident();
    const letter = await issueLetter(db, secrets, {
      residentId: id,
      purpose: 'first_access',
      issuedBy: null,
    });
    const attempt = (password: string) =>
      checkLetter(db, {
        purpose: 'first_access',
        code: letter.code,
        password,
        birthDate: '1980-04-01',
        clientKey: client(),
      });
    for (let i = 1; i < LETTER_LOCK.maxFailures; i++)
      expect((await attempt('WRONG00000')).outcome).toBe('invalid');
    // Locked: told no more than "not right", even with the right password now.
    expect(await attempt('WRONG00000')).toEqual({ outcome: 'invalid', letterLocked: true });
    expect(await attempt(letter.password)).toEqual({ outcome: 'invalid', letterLocked: true });
    // After the lock has passed, the right answer works again.
    const later = new Date(Date.now() + (LETTER_LOCK.lockMinutes + 1) * 60_000);
    const afterLock = await checkLetter(
      db,
      {
        purpose: 'first_access',
        code: letter.code,
        password: letter.password,
        birthDate: '1980-04-01',
        clientKey: client(),
      },
      later,
    );
    expect(afterLock.outcome).toBe('ok');
  });

  it('answers a locked letter exactly as an unknown letter ID, after the same work', async () => {
    const db = database.connection.db;
    const id = await resident();
    const letter = await issueLetter(db, secrets, {
      residentId: id,
      purpose: 'first_access',
      issuedBy: null,
    });
    await db
      .updateTable('letter')
      .set({ lockedUntil: new Date(Date.now() + 60_000) })
      .where('id', '=', letter.id)
      .execute();
    const timed = async (code: string) => {
      const key = client();
      const started = performance.now();
      const result = await checkLetter(db, {
        purpose: 'first_access',
        code,
        password: letter.password,
        birthDate: '1980-04-01',
        clientKey: key,
      });
      const ms = performance.now() - started;
      const failures = await db
        .selectFrom('throttle')
        .select('failures')
        .where('key', '=', key)
        .executeTakeFirst();
      return { result, ms, failures: failures?.failures ?? 0 };
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const locked: Awaited<ReturnType<typeof timed>>[] = [];
    const unknown: Awaited<ReturnType<typeof timed>>[] = [];
    for (let i = 0; i < 5; i++) {
      locked.push(await timed(letter.code));
      unknown.push(await timed('ZZZZ-ZZZZ-ZZZZ'));
    }
    for (const [a, b] of locked.map((l, i) => [l, unknown[i]!] as const)) {
      // The route shows only the outcome; letterLocked goes to the audit log.
      expect(a.result.outcome).toBe(b.result.outcome);
      expect(a.failures).toBe(b.failures); // both count against the client
    }
    expect(unknown[0]!.result).toEqual({ outcome: 'invalid' });
    // Same timing class: both compare a password hash (scrypt), neither answers at once.
    const [fast, slow] = [median(locked.map((x) => x.ms)), median(unknown.map((x) => x.ms))].sort(
      (a, b) => a - b,
    );
    expect(fast! / slow!).toBeGreaterThan(0.4);
  });

  it(`refuses a client address after ${CLIENT_THROTTLE.maxFailures} failures across letters`, async () => {
    const db = database.connection.db;
    const key = client();
    let last;
    for (let i = 0; i < CLIENT_THROTTLE.maxFailures; i++) {
      last = await checkLetter(db, {
        purpose: 'first_access',
        code: `AAAA-AAAA-${String(i).padStart(4, '0')}`,
        password: 'X',
        birthDate: '2000-01-01',
        clientKey: key,
      });
    }
    expect(last?.outcome).toBe('client_locked');
    const id = await resident();
    const letter = await issueLetter(db, secrets, {
      residentId: id,
      purpose: 'first_access',
      issuedBy: null,
    });
    const refused = await checkLetter(db, {
      purpose: 'first_access',
      code: letter.code,
      password: letter.password,
      birthDate: '1980-04-01',
      clientKey: key,
    });
    expect(refused.outcome).toBe('client_locked');
  });

  it('stores only a hash of the password, and a sealed copy that disappears once used', async () => {
    const db = database.connection.db;
    const id = await resident();
    const letter = await issueLetter(db, secrets, {
      residentId: id,
      purpose: 'first_access',
      issuedBy: null,
    });
    const row = await db
      .selectFrom('letter')
      .selectAll()
      .where('id', '=', letter.id)
      .executeTakeFirstOrThrow();
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.passwordHash).not.toContain(letter.password);
    expect(row.passwordSealed).not.toContain(letter.password);
    expect((await findPrintableLetter(db, secrets, letter.id))?.password).toBe(letter.password);
    expect(await markLetterUsed(db, letter.id)).toBe(true);
    expect(await markLetterUsed(db, letter.id)).toBe(false);
    expect(await findPrintableLetter(db, secrets, letter.id)).toBeNull();
    const used = await checkLetter(db, {
      purpose: 'first_access',
      code: letter.code,
      password: letter.password,
      birthDate: '1980-04-01',
      clientKey: client(),
    });
    expect(used.outcome).toBe('used');
  });

  it('a new letter replaces the unused one, and a double submit issues one letter', async () => {
    const db = database.connection.db;
    const id = await resident();
    const first = await issueLetter(db, secrets, {
      residentId: id,
      purpose: 'first_access',
      issuedBy: null,
    });
    const [a, b] = await Promise.all([
      issueLetter(db, secrets, {
        residentId: id,
        purpose: 'first_access',
        issuedBy: null,
        idempotencyKey: `k-${counter}`,
      }),
      issueLetter(db, secrets, {
        residentId: id,
        purpose: 'first_access',
        issuedBy: null,
        idempotencyKey: `k-${counter}`,
      }),
    ]);
    expect(a.id).toBe(b.id);
    expect(a.password).toBe(b.password);
    const old = await checkLetter(db, {
      purpose: 'first_access',
      code: first.code,
      password: first.password,
      birthDate: '1980-04-01',
      clientKey: client(),
    });
    expect(old.outcome).toBe('revoked');
    const live = await db
      .selectFrom('letter')
      .select('id')
      .where('residentId', '=', id)
      .where('revokedAt', 'is', null)
      .execute();
    expect(live.map((l) => l.id)).toEqual([a.id]);
  });

  it('many concurrent submissions of one form issue one letter and give the same answer', async () => {
    const db = database.connection.db;
    const id = await resident();
    const earlier = await issueLetter(db, secrets, {
      residentId: id,
      purpose: 'first_access',
      issuedBy: null,
    });
    const key = `burst-${counter}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        issueLetterOnce(db, secrets, {
          residentId: id,
          purpose: 'first_access',
          issuedBy: null,
          idempotencyKey: key,
        }),
      ),
    );
    const ids = new Set(answers.map((a) => (a.outcome === 'conflict' ? null : a.letterId)));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.outcome === 'issued')).toHaveLength(1);
    expect(answers.filter((a) => a.outcome === 'replayed')).toHaveLength(19);
    const letters = await db
      .selectFrom('letter')
      .select(['id', 'idempotencyKey', 'revokedAt'])
      .where('residentId', '=', id)
      .execute();
    expect(letters).toHaveLength(2);
    const [only] = [...ids];
    expect(letters.find((l) => l.idempotencyKey === key)?.id).toBe(only);
    expect(letters.filter((l) => l.revokedAt === null).map((l) => l.id)).toEqual([only]);
    expect(letters.find((l) => l.id === earlier.id)?.revokedAt).not.toBeNull();
    // The lock ends with its transaction: nothing is left held on any connection.
    const held = await sql<{ n: number }>`
      select count(*)::int as n from pg_locks where locktype = 'advisory'`.execute(db);
    expect(held.rows[0]?.n).toBe(0);
  });

  it("issues on the transaction's own connection: a pool of one connection is enough", async () => {
    const single = connect(database.url, { max: 1 });
    try {
      const id = await resident();
      const key = `single-${counter}`;
      const input = { residentId: id, purpose: 'first_access' as const, issuedBy: null };
      const burst = Promise.all([
        issueLetterOnce(single.db, secrets, { ...input, idempotencyKey: key }),
        issueLetterOnce(single.db, secrets, { ...input, idempotencyKey: key }),
        issueLetter(single.db, secrets, { ...input, idempotencyKey: key }),
        issueLetter(single.db, secrets, input),
      ]);
      // A lock held on a second connection while the work waits for the pool never ends.
      const timeout = new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 10_000));
      const result = await Promise.race([burst, timeout]);
      expect(result).not.toBe('stuck');
      const [a, b, c] = result as Exclude<typeof result, 'stuck'>;
      expect(a.outcome === 'conflict' ? null : a.letterId).toBe(
        b.outcome === 'conflict' ? null : b.letterId,
      );
      expect(c.id).toBe(a.outcome === 'conflict' ? null : a.letterId);
    } finally {
      await single.close();
    }
  });

  it('issuing waits while another transaction issues to the same resident, not to another', async () => {
    const db = database.connection.db;
    const [id, other] = [await resident(), await resident()];
    const input = { purpose: 'first_access' as const, issuedBy: null };
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.transaction().execute(async (trx) => {
      await lockLetterIssue(trx, id);
      locked();
      await held;
    });
    await isLocked;
    let done = false;
    const waiting = issueLetter(db, secrets, { ...input, residentId: id }).then((letter) => {
      done = true;
      return letter;
    });
    await issueLetter(db, secrets, { ...input, residentId: other });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done).toBe(false);
    release();
    await holder;
    expect((await waiting).id).toBeTruthy();
  });

  it("issues in the caller's transaction when given one: a rollback leaves no letter", async () => {
    const db = database.connection.db;
    const id = await resident();
    const input = { residentId: id, purpose: 'first_access' as const, issuedBy: null };
    const key = `in-trx-${counter}`;
    await expect(
      db.transaction().execute(async (trx) => {
        const issued = await issueLetterOnce(trx, secrets, { ...input, idempotencyKey: key });
        expect(issued.outcome).toBe('issued');
        throw new Error('the caller gives up');
      }),
    ).rejects.toThrow('the caller gives up');
    const none = await db.selectFrom('letter').select('id').where('residentId', '=', id).execute();
    expect(none).toEqual([]);
    // The rollback released the lock: the same form issues now, and a replay agrees.
    const committed = await db
      .transaction()
      .execute((trx) => issueLetterOnce(trx, secrets, { ...input, idempotencyKey: key }));
    expect(committed.outcome).toBe('issued');
    expect(await issueLetterOnce(db, secrets, { ...input, idempotencyKey: key })).toEqual({
      outcome: 'replayed',
      letterId: committed.outcome === 'issued' ? committed.letterId : null,
    });
  });

  it('two letters issued at once for one resident leave one usable', async () => {
    const db = database.connection.db;
    const id = await resident();
    const issued = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        issueLetterOnce(db, secrets, {
          residentId: id,
          purpose: 'first_access',
          issuedBy: null,
          idempotencyKey: `parallel-${counter}-${i}`,
        }),
      ),
    );
    expect(issued.every((a) => a.outcome === 'issued')).toBe(true);
    const live = await db
      .selectFrom('letter')
      .select('id')
      .where('residentId', '=', id)
      .where('revokedAt', 'is', null)
      .execute();
    expect(live).toHaveLength(1);
  });

  it("a key that names another resident's letter is a conflict, never that letter", async () => {
    const db = database.connection.db;
    const [mine, theirs] = [await resident(), await resident()];
    const key = `mixed-${counter}`;
    const input = { purpose: 'first_access' as const, issuedBy: null, idempotencyKey: key };
    const first = await issueLetterOnce(db, secrets, { ...input, residentId: mine });
    expect(first.outcome).toBe('issued');
    expect(await issueLetterOnce(db, secrets, { ...input, residentId: theirs })).toEqual({
      outcome: 'conflict',
    });
    await expect(issueLetter(db, secrets, { ...input, residentId: theirs })).rejects.toThrow(
      "another resident's letter",
    );
    // At the same moment too: the two residents' locks differ, the key's unique index decides.
    const key2 = `mixed-race-${counter}`;
    const race = await Promise.all([
      issueLetterOnce(db, secrets, { ...input, idempotencyKey: key2, residentId: mine }),
      issueLetterOnce(db, secrets, { ...input, idempotencyKey: key2, residentId: theirs }),
    ]);
    expect(race.map((r) => r.outcome).sort()).toEqual(['conflict', 'issued']);
    expect(
      await db.selectFrom('letter').select('id').where('residentId', '=', theirs).execute(),
    ).toHaveLength(race[1].outcome === 'issued' ? 1 : 0);
  });

  it('QR link tokens are signed and expire', async () => {
    const token = letterLinkToken(secrets, { id: '00000000-0000-4000-8000-000000000001' });
    expect(readLetterLinkToken(secrets, token)).toBe('00000000-0000-4000-8000-000000000001');
    const [body, mac] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ l: 'someone-else', exp: 9999999999 })).toString('base64url')}.${mac}`;
    expect(readLetterLinkToken(secrets, forged)).toBeNull();
    expect(readLetterLinkToken(secrets, `${body}.AAAA`)).toBeNull();
    const old = letterLinkToken(secrets, { id: 'x' }, new Date(Date.now() - 365 * 86_400_000));
    expect(readLetterLinkToken(secrets, old)).toBeNull();
  });
});
