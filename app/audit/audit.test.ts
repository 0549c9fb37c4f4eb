import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { useTestDatabase } from '../../test/database.ts';
import { auditCsv, type AuditEntry, type AuditRecord } from './audit.ts';
import { findChainHead } from './audit.repository.server.ts';
import {
  listAudit,
  recordAudit,
  sealAudit,
  unsealedAudit,
  verifyAuditChain,
  type AuditChainCheck,
} from './audit.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  actorType: 'staff',
  actorId: 'staff-1',
  action: 'test.record',
  outcome: 'success',
  ...overrides,
});

/** Records `count` entries one after another, seals them, and reads them back in order. */
async function recordMany(count: number): Promise<AuditRecord[]> {
  for (let n = 0; n < count; n++) await recordAudit(db(), entry({ details: { n } }));
  await sealAudit(db());
  return (await listAudit(db(), { limit: count })).reverse();
}

async function rowCount(): Promise<number> {
  return Number(
    (
      await db()
        .selectFrom('auditLog')
        .select(sql<string>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

describe('recordAudit', () => {
  it('chains entries: seq goes up by one and each prev_hash is the hash before it', async () => {
    const records = await recordMany(5);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(records[0]!.prevHash).toBe('00');
    for (let i = 1; i < records.length; i++) {
      expect(records[i]!.prevHash).toBe(records[i - 1]!.hash);
    }
    expect(records[4]!.hash).toMatch(/^[0-9a-f]{64}$/);
    const head = await findChainHead(db());
    expect([head.lastSeq, head.lastHash.toString('hex')]).toEqual(['5', records[4]!.hash]);
    expect(records[2]).toMatchObject({ actorType: 'staff', details: { n: 2 }, outcome: 'success' });
    expect(records[2]!.occurredAt).toBeInstanceOf(Date);
  });

  it('refuses a malformed entry before anything is written', async () => {
    const before = await findChainHead(db());
    for (const bad of [
      entry({ action: 'sign_in' }),
      entry({ action: 'Auth.SignIn' }),
      entry({ ip: 'not-an-ip' }),
      entry({ onBehalfOfResidentId: 'resident-1' }),
      { ...entry(), actorType: 'robot' } as unknown as AuditEntry,
      { ...entry(), extra: 1 } as unknown as AuditEntry,
    ]) {
      await expect(recordAudit(db(), bad)).rejects.toThrow();
    }
    expect((await findChainHead(db())).lastSeq).toBe(before.lastSeq);
  });

  it('leaves no gap when the transaction around it rolls back', async () => {
    const before = await findChainHead(db());
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await recordAudit(trx, entry({ action: 'test.rolled_back' }));
          throw new Error('roll back');
        }),
    ).rejects.toThrow('roll back');
    const [next] = await recordMany(1);
    expect(next!.seq).toBe(Number(before.lastSeq) + 1);
    expect(next!.prevHash).toBe(before.lastHash.toString('hex'));
  });

  it('keeps a valid chain under concurrent writers and transactions', async () => {
    const start = Number((await findChainHead(db())).lastSeq);
    await Promise.all([
      ...[1, 2, 3].map((t) =>
        db()
          .transaction()
          .execute(async (trx) => {
            for (let n = 0; n < 10; n++) {
              await recordAudit(trx, entry({ actorId: `trx-${t}`, details: { n } }));
            }
          }),
      ),
      ...Array.from({ length: 20 }, (_, n) =>
        recordAudit(db(), entry({ actorId: 'autocommit', details: { n } })),
      ),
      // Sealers run while the writers write (every process runs one).
      ...Array.from({ length: 5 }, () => sealAudit(db())),
    ]);
    await sealAudit(db());
    expect(await unsealedAudit(db())).toEqual({ count: 0, oldest: null });
    const seqs = (
      await db().selectFrom('auditLog').select('seq').where('seq', '>', String(start)).execute()
    ).map((r) => Number(r.seq));
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => start + i + 1));
    expect(await verifyAuditChain(db())).toEqual({ ok: true, checked: start + 50 });
  });
});

describe('sealing after the commit', () => {
  it('an audited transaction never waits for another one that is still open', async () => {
    let finishFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => (finishFirst = resolve));
    const first = db()
      .transaction()
      .execute(async (trx) => {
        await recordAudit(trx, entry({ action: 'test.long_transaction' }));
        await firstMayFinish;
      });
    // Give the first transaction time to write its entry (and, before sealing existed, to
    // take the chain lock it then held until it ended).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = db()
      .transaction()
      .execute((trx) => recordAudit(trx, entry({ action: 'test.short_transaction' })));
    const outcome = await Promise.race([
      second.then(() => 'committed'),
      new Promise((resolve) => setTimeout(() => resolve('waited'), 3000)),
    ]);
    finishFirst();
    await first;
    await second;
    expect(outcome).toBe('committed');
    await sealAudit(db());
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });
  });

  it('an entry is readable at once: the reader seals what has committed', async () => {
    await recordAudit(db(), entry({ action: 'test.read_at_once' }));
    expect((await unsealedAudit(db())).count).toBeGreaterThan(0);
    const [latest] = await listAudit(db(), { action: 'test.read_at_once', limit: 1 });
    expect(latest).toMatchObject({
      action: 'test.read_at_once',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await unsealedAudit(db())).toEqual({ count: 0, oldest: null });
  });

  it('refuses to change an unsealed entry, or to seal it with anything but the next link', async () => {
    const { id } = await recordAudit(db(), entry({ action: 'test.unsealed' }));
    await expect(
      db().updateTable('auditLog').set({ outcome: 'failure' }).where('id', '=', id).execute(),
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(
      sql`update audit_log set seq = 999999, prev_hash = '\x01', hash = '\x02' where id = ${id}`.execute(
        db(),
      ),
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(db().deleteFrom('auditLog').where('id', '=', id).execute()).rejects.toThrow(
      /append-only: DELETE/,
    );
    await sealAudit(db());
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });
  });
});

describe('the database', () => {
  it('refuses UPDATE, DELETE and TRUNCATE on audit_log', async () => {
    await expect(
      db().updateTable('auditLog').set({ outcome: 'failure' }).where('seq', '=', '1').execute(),
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(db().deleteFrom('auditLog').where('seq', '=', '1').execute()).rejects.toThrow(
      /append-only: DELETE/,
    );
    await expect(sql`truncate audit_log`.execute(db())).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });
  });
});

describe('listAudit', () => {
  it('filters by actor, action prefix, resident and time, newest first, with keyset pages', async () => {
    const resident = randomUUID();
    await recordAudit(
      db(),
      entry({ action: 'auth.sign_in', actorType: 'resident', actorId: 'r-1' }),
    );
    await recordAudit(
      db(),
      entry({ action: 'auth.signxin', actorType: 'resident', actorId: 'r-1' }),
    );
    // Dates come back with milliseconds only: keep the last entry clear of the others.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const proxied = await recordAudit(
      db(),
      entry({ action: 'auth.sign_out', actorType: 'proxy', onBehalfOfResidentId: resident }),
    );

    const actions = async (filter: Parameters<typeof listAudit>[1]) =>
      (await listAudit(db(), filter)).map((r) => r.action);
    expect(await actions({ action: 'auth.' })).toEqual([
      'auth.sign_out',
      'auth.signxin',
      'auth.sign_in',
    ]);
    // '_' must not act as a LIKE wildcard.
    expect(await actions({ action: 'auth.sign_' })).toEqual(['auth.sign_out', 'auth.sign_in']);
    expect(await actions({ actorType: 'resident', actorId: 'r-1' })).toEqual([
      'auth.signxin',
      'auth.sign_in',
    ]);
    expect(await actions({ onBehalfOfResidentId: resident })).toEqual(['auth.sign_out']);
    expect(await actions({ action: 'auth.', from: proxied.occurredAt })).toEqual(['auth.sign_out']);
    expect(await actions({ action: 'auth.', to: proxied.occurredAt })).toEqual([
      'auth.signxin',
      'auth.sign_in',
    ]);

    const firstPage = await listAudit(db(), { action: 'auth.', limit: 2 });
    const secondPage = await listAudit(db(), {
      action: 'auth.',
      limit: 2,
      before: { seq: firstPage[1]!.seq },
    });
    expect([...firstPage, ...secondPage].map((r) => r.action)).toEqual([
      'auth.sign_out',
      'auth.signxin',
      'auth.sign_in',
    ]);
  });
});

describe('verifyAuditChain', () => {
  class RolledBack extends Error {}

  /**
   * Tampers as the superuser with the protecting triggers off, verifies, and rolls it all
   * back, so every test starts from the same intact chain.
   */
  async function verifyTampered(
    tamper: (trx: Transaction<Database>) => Promise<unknown>,
    batchSize?: number,
  ): Promise<AuditChainCheck> {
    let result: AuditChainCheck | undefined;
    await db()
      .transaction()
      .execute(async (trx) => {
        await sql`alter table audit_log disable trigger user`.execute(trx);
        await tamper(trx);
        await sql`alter table audit_log enable trigger user`.execute(trx);
        result = await verifyAuditChain(trx, { batchSize });
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    return result!;
  }

  const rowAt = async (seq: number) =>
    db()
      .selectFrom('auditLog')
      .select('id')
      .where('seq', '=', String(seq))
      .executeTakeFirstOrThrow();

  afterEach(async () => {
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });
    const triggers = await sql<{ tgenabled: string }>`
      select tgenabled from pg_trigger where tgrelid = 'audit_log'::regclass and not tgisinternal`.execute(
      db(),
    );
    expect(triggers.rows.map((t) => t.tgenabled)).toEqual(['O', 'O']);
  });

  it('walks the whole chain in batches', async () => {
    const total = await rowCount();
    expect(total).toBeGreaterThan(10);
    for (const batchSize of [1, 3, 10_000]) {
      expect(await verifyAuditChain(db(), { batchSize })).toEqual({ ok: true, checked: total });
    }
  });

  it('reports a row whose content was changed as altered, with its seq and id', async () => {
    const { id } = await rowAt(4);
    for (const batchSize of [3, 10_000]) {
      const result = await verifyTampered(
        (trx) => sql`update audit_log set details = '{"n": 99}' where seq = 4`.execute(trx),
        batchSize,
      );
      expect(result).toMatchObject({
        ok: false,
        reason: 'altered',
        firstBadSeq: 4,
        firstBadId: id,
        checked: 3,
      });
    }
  });

  it('reports a row removed from the middle where it was', async () => {
    for (const batchSize of [3, 10_000]) {
      const result = await verifyTampered(
        (trx) => sql`delete from audit_log where seq = 4`.execute(trx),
        batchSize,
      );
      expect(result).toMatchObject({
        ok: false,
        reason: 'removed',
        firstBadSeq: 4,
        firstBadId: null,
        checked: 3,
      });
    }
  });

  it('reports a row whose link to its predecessor was replaced as removed', async () => {
    const { id } = await rowAt(6);
    const result = await verifyTampered((trx) =>
      sql`update audit_log a set prev_hash = '\\x01', hash = audit_row_digest('\\x01', a) where seq = 6`.execute(
        trx,
      ),
    );
    expect(result).toMatchObject({ ok: false, reason: 'removed', firstBadSeq: 6, firstBadId: id });
  });

  it('reports rows removed at the end as a head mismatch', async () => {
    const total = await rowCount();
    const result = await verifyTampered((trx) =>
      sql`delete from audit_log where seq = ${total}`.execute(trx),
    );
    expect(result).toMatchObject({
      ok: false,
      reason: 'head_mismatch',
      firstBadSeq: total,
      firstBadId: null,
      checked: total - 1,
    });
  });

  it('reports a changed chain head', async () => {
    const total = await rowCount();
    const { id } = await rowAt(total);
    const result = await verifyTampered((trx) =>
      trx
        .updateTable('auditChainHead')
        .set({ lastHash: Buffer.alloc(32) })
        .execute(),
    );
    expect(result).toMatchObject({
      ok: false,
      reason: 'head_mismatch',
      firstBadSeq: total,
      firstBadId: id,
    });
  });
});

describe('auditCsv', () => {
  const record = (overrides: Partial<AuditRecord> = {}): AuditRecord => ({
    id: '7',
    seq: 7,
    occurredAt: new Date(Date.UTC(2026, 10, 21, 15, 30, 0)),
    actorType: 'staff',
    actorId: 'staff-1',
    onBehalfOfResidentId: null,
    action: 'letter.issue',
    targetType: 'letter',
    targetId: 'L-1',
    outcome: 'success',
    ip: '192.0.2.1',
    details: {},
    prevHash: 'aa',
    hash: 'bb',
    ...overrides,
  });
  const lines = (csv: string) => csv.slice(1).split('\r\n');

  it('starts with a UTF-8 BOM and a header row, and ends every line with CRLF', () => {
    const csv = auditCsv([record()]);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(lines(csv)).toEqual([
      'seq,id,occurred_at,actor_type,actor_id,on_behalf_of_resident_id,action,target_type,target_id,outcome,ip,details,prev_hash,hash',
      '7,7,2026-11-22T00:30:00.000+09:00,staff,staff-1,,letter.issue,letter,L-1,success,192.0.2.1,{},aa,bb',
      '',
    ]);
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('keeps Japanese text intact', () => {
    const csv = auditCsv([record({ targetId: '山田　太郎', details: { 理由: '住所変更' } })]);
    expect(Buffer.from(csv, 'utf8').toString('utf8')).toBe(csv);
    expect(lines(csv)[1]).toContain(',山田　太郎,');
    expect(lines(csv)[1]).toContain('"{""理由"":""住所変更""}"');
  });

  it('quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    const csv = auditCsv([
      record({ actorId: 'a,b', targetType: 'say "hi"', targetId: 'one\r\ntwo' }),
    ]);
    expect(csv).toContain(',"a,b",');
    expect(csv).toContain(',"say ""hi""",');
    expect(csv).toContain(',"one\r\ntwo",');
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    const csv = auditCsv([
      record({ actorId: '=1+2', targetType: '+81', targetId: '-cmd', ip: null, action: 'a.b' }),
      record({ actorId: '@SUM(A1)', targetType: '\tx', targetId: '\rx' }),
    ]);
    expect(lines(csv)[1]).toContain(",'=1+2,,a.b,'+81,'-cmd,");
    expect(csv).toContain(",'@SUM(A1),");
    expect(csv).toContain(",'\tx,");
    expect(csv).toContain(',"\'\rx",');
  });

  it('shows bidirectional controls in typed text as codes; details stay the same JSON value', () => {
    const details = { name: 'invoice\u202Efdp.exe', note: '\u2066x\u2069' };
    const csv = auditCsv([record({ targetId: '山田\u202E太郎', details })]);
    expect(csv).not.toMatch(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
    expect(lines(csv)[1]).toContain(',山田⟨U+202E⟩太郎,');
    const cell = /"(\{.*\})"/.exec(lines(csv)[1] ?? '')?.[1]?.replaceAll('""', '"') ?? '';
    expect(JSON.parse(cell)).toEqual(details);
  });
});
