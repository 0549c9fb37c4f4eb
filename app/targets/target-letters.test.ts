/**
 * Reservation letters in batches (decision 0045): the preview's counts, one audited print per
 * batch that moves set-up targets to letter_printed, the same password on a reprint, and the
 * print page's letters with QR codes that carry a signed token.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import { staffWithSession } from '../../test/support/routes.ts';
import { insertTargets } from '../../test/support/targets.ts';
import { readBookingToken } from '../reservations/booking-token.server.ts';
import { reissueCredentials } from './target-credentials.service.server.ts';
import {
  LETTER_BATCH_MAX,
  LETTER_BATCH_VIEW_MINUTES,
  letterBatchForPrint,
  previewLetterBatch,
  printLetterBatch,
} from './target-letters.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const secrets = testSecrets();
const CITY = '142107';
const ORIGIN = 'https://madoguchi.example.jp';
let clerk: { actorType: 'staff'; actorId: string; onBehalfOfResidentId: null; ip: string };
const ids: Record<'imported' | 'setup_done' | 'letter_printed' | 'cancelled', string[]> = {
  imported: [],
  setup_done: [],
  letter_printed: [],
  cancelled: [],
};
let importId: string;

beforeAll(async () => {
  const staff = await staffWithSession(db(), ['targets:letters']);
  clerk = {
    actorType: 'staff',
    actorId: staff.accountId,
    onBehalfOfResidentId: null,
    ip: '192.0.2.41',
  };
  const imp = await db()
    .insertInto('targetImport')
    .values({
      municipalityCode: CITY,
      fileName: 'cs.csv',
      fileSha256: Buffer.alloc(32, 7),
      encoding: 'shift_jis',
      lineCount: 7,
      createdBy: staff.accountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  importId = imp.id;
  for (const [state, count] of [
    ['imported', 2],
    ['setup_done', 3],
    ['letter_printed', 1],
    ['cancelled', 1],
  ] as const)
    ids[state] = await insertTargets(db(), { city: CITY, count, state, importId });
});

const stateOf = (id: string) =>
  db()
    .selectFrom('pickupTarget')
    .select('state')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
    .then((r) => r.state);

describe('a batch of reservation letters', () => {
  it('previews what will print: ready, not ready (imported) and left out', async () => {
    expect(await previewLetterBatch(db(), CITY, { by: 'import', importId })).toEqual({
      matching: 7,
      printable: 4,
      withCredentials: 0,
      notReady: 2,
      excluded: 1,
      max: LETTER_BATCH_MAX,
    });
    expect(await previewLetterBatch(db(), CITY, { by: 'state', state: 'imported' })).toMatchObject({
      matching: 2,
      printable: 0,
      notReady: 2,
    });
  });

  it('prints once per batch: credentials, setup_done → letter_printed, one audit entry', async () => {
    const printed = await printLetterBatch(db(), secrets, clerk, CITY, { by: 'import', importId });
    expect(printed).toMatchObject({ outcome: 'printed', count: 4 });
    if (printed.outcome !== 'printed') throw new Error('not printed');
    for (const id of [...ids.setup_done, ...ids.letter_printed])
      expect(await stateOf(id)).toBe('letter_printed');
    for (const id of ids.imported) expect(await stateOf(id)).toBe('imported');
    expect(await stateOf(ids.cancelled[0]!)).toBe('cancelled');

    const audit = await db()
      .selectFrom('auditLog')
      .select(['action', 'targetId', 'details', 'actorId'])
      .where('ip', '=', clerk.ip)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'targets.letters_print',
      targetId: printed.batchId,
      actorId: clerk.actorId,
      details: { count: 4, created: 4, moved: 3 },
    });
    const audited = (audit[0]!.details as { targets: string[] }).targets;
    expect([...audited].sort()).toEqual([...ids.setup_done, ...ids.letter_printed].sort());

    const after = await previewLetterBatch(db(), CITY, { by: 'import', importId });
    expect(after).toMatchObject({ printable: 4, withCredentials: 4 });
  });

  it('printing the batch again shows the same passwords; a reissue changes only its own', async () => {
    const first = await printLetterBatch(db(), secrets, clerk, CITY, { by: 'import', importId });
    const second = await printLetterBatch(db(), secrets, clerk, CITY, { by: 'import', importId });
    if (first.outcome !== 'printed' || second.outcome !== 'printed') throw new Error('not printed');
    const open = (batchId: string) =>
      letterBatchForPrint(db(), secrets, {
        municipalityCode: CITY,
        batchId,
        staffAccountId: clerk.actorId,
        publicOrigin: ORIGIN,
      });
    const a = await open(first.batchId);
    const b = await open(second.batchId);
    if (a.status !== 'ok' || b.status !== 'ok') throw new Error('not printable');
    expect(a.letters).toHaveLength(4);
    const secretsOf = (letters: typeof a.letters) =>
      letters.map((l) => [l.targetId, l.reservationId, l.password]);
    expect(secretsOf(b.letters)).toEqual(secretsOf(a.letters));

    const target = a.letters[0]!;
    expect(target.entryUrl).toBe(`${ORIGIN}/ja/reservations`);
    const qr = new URL(target.qrTarget);
    expect(qr.pathname).toBe('/ja/reservations/qr');
    expect(readBookingToken(secrets, qr.searchParams.get('token')!)).toEqual({
      municipalityCode: CITY,
      targetId: target.targetId,
      version: 0,
    });
    expect(target.qrSvg).toMatch(/^<svg aria-hidden="true"/);

    const reissued = await reissueCredentials(db(), secrets, clerk, CITY, target.targetId);
    const c = await open(first.batchId);
    if (c.status !== 'ok') throw new Error('not printable');
    expect(c.letters[0]).toMatchObject({ targetId: target.targetId, password: reissued!.password });
    expect(c.letters[0]!.password).not.toBe(target.password);
    expect(c.letters.slice(1).map((l) => l.password)).toEqual(
      a.letters.slice(1).map((l) => l.password),
    );
    const token = new URL(c.letters[0]!.qrTarget).searchParams.get('token')!;
    expect(readBookingToken(secrets, token)?.version).toBe(1);
  });

  it("shows a batch's letters only to whoever printed it, and only for a while", async () => {
    const printed = await printLetterBatch(db(), secrets, clerk, CITY, {
      by: 'target',
      targetId: ids.setup_done[0]!,
    });
    if (printed.outcome !== 'printed') throw new Error('not printed');
    const other = await staffWithSession(db(), ['targets:letters']);
    const input = { municipalityCode: CITY, batchId: printed.batchId, publicOrigin: ORIGIN };
    expect(
      await letterBatchForPrint(db(), secrets, { ...input, staffAccountId: other.accountId }),
    ).toEqual({ status: 'not_found' });
    // The one who printed it, asking as a clerk of another city: not found either.
    expect(
      await letterBatchForPrint(db(), secrets, {
        ...input,
        municipalityCode: '999998',
        staffAccountId: clerk.actorId,
      }),
    ).toEqual({ status: 'not_found' });
    const later = new Date(Date.now() + (LETTER_BATCH_VIEW_MINUTES + 1) * 60_000);
    expect(
      await letterBatchForPrint(db(), secrets, { ...input, staffAccountId: clerk.actorId }, later),
    ).toEqual({ status: 'expired' });
  });

  it('prints nothing for targets that are not ready, and refuses a batch that is too large', async () => {
    expect(
      await printLetterBatch(db(), secrets, clerk, CITY, { by: 'state', state: 'imported' }),
    ).toEqual({ outcome: 'empty' });
    const BIG = '999999';
    await insertTargets(db(), { city: BIG, count: LETTER_BATCH_MAX + 1, state: 'setup_done' });
    expect(
      await printLetterBatch(db(), secrets, clerk, BIG, { by: 'state', state: 'setup_done' }),
    ).toEqual({ outcome: 'too_many', count: LETTER_BATCH_MAX + 1, max: LETTER_BATCH_MAX });
    const unchanged = await previewLetterBatch(db(), BIG, { by: 'state', state: 'setup_done' });
    expect(unchanged).toMatchObject({ printable: LETTER_BATCH_MAX + 1, withCredentials: 0 });
  });
});
