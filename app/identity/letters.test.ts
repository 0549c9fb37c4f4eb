import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { loadSecrets } from '../platform/secrets.server.ts';
import { upsertResidents } from './residents.server.ts';
import {
  checkLetter,
  CLIENT_THROTTLE,
  findPrintableLetter,
  issueLetter,
  LETTER_LOCK,
  letterLinkToken,
  markLetterUsed,
  readLetterLinkToken,
} from './letters.server.ts';
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
