import { describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { useTestDatabase } from '../../test/database.ts';
import { upsertResidents } from '../identity/residents.server.ts';
import { openNotice, publishNotice, withdrawNotice } from '../notices/notice.service.server.ts';
import { getNoticeDelivery, monthlyDeliveryTotals } from './delivery.service.server.ts';
import { formatRate } from './delivery-view.ts';

const database = useTestDatabase();
const db = () => database.connection.db;

/** A municipality code no other test in this file uses. */
const municipality = () => `9${String(randomInt(100_000)).padStart(5, '0')}`;

async function resident(municipalityCode = '142107'): Promise<string> {
  const registerCode = Array.from({ length: 11 }, () => randomInt(10)).join('');
  await upsertResidents(db(), [
    {
      registerCode,
      name: '配信　試験',
      nameKana: 'ハイシン　シケン',
      nameLatin: null,
      birthDate: '1980-01-01',
      sex: 'unspecified',
      address: '神奈川県',
      municipalityCode,
      municipalityName: '試験市',
      cardManufactureNumber: null,
    },
  ]);
  const row = await db()
    .selectFrom('resident')
    .select('id')
    .where('registerCode', '=', registerCode)
    .executeTakeFirstOrThrow();
  return row.id;
}

const residents = (n: number, code?: string) =>
  Promise.all(Array.from({ length: n }, () => resident(code)));

async function publish(
  audience: Parameters<typeof publishNotice>[1]['audience'],
  publishAt: Date,
): Promise<string> {
  const { id } = await publishNotice(db(), {
    audience,
    sender: 'operator',
    titleJa: '配信状況の試験',
    bodyJa: '本文',
    titleEn: null,
    bodyEn: null,
    publishAt,
    expiresAt: null,
    createdBy: null,
  });
  return id;
}

const open = (residentId: string, noticeId: string, now: Date) =>
  openNotice(db(), { residentId, noticeId, locale: 'ja', now });

describe('a notice’s delivery figures', () => {
  it('match the read rows: 3 recipients, 2 opened → 66.7%; opening twice counts once', async () => {
    const [a, b, c] = (await residents(3)) as [string, string, string];
    const at = new Date('2026-05-10T01:00:00Z');
    const id = await publish({ type: 'list', residentIds: [a, b, c] }, at);
    await open(a, id, new Date('2026-05-10T02:00:00Z'));
    await open(b, id, new Date('2026-05-11T02:00:00Z'));
    await open(a, id, new Date('2026-05-12T02:00:00Z'));

    const now = new Date('2026-05-12T03:00:00Z');
    const delivery = await getNoticeDelivery(db(), id, now);
    const reads = await db()
      .selectFrom('noticeRead')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('noticeId', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(reads.n)).toBe(2);
    expect(delivery).toMatchObject({
      kind: 'targeted',
      published: true,
      delivered: 3,
      opened: 2,
      step: 'day',
    });
    expect(delivery!.openRate).toBeCloseTo(2 / 3);
    expect(formatRate(delivery!.openRate, 'ja')).toBe('66.7%');
    expect(formatRate(delivery!.openRate, 'en')).toBe('66.7%');
    // The second opening by `a` on the 12th is not a new open.
    expect(delivery!.buckets.map((b) => [b.start, b.opens, b.cumulative])).toEqual([
      ['2026-05-10', 1, 1],
      ['2026-05-11', 1, 2],
      ['2026-05-12', 0, 2],
    ]);
  });

  it('a broadcast to a municipality reaches its residents now; to everyone, all residents', async () => {
    const code = municipality();
    const [a] = (await residents(2, code)) as [string, string];
    await resident(municipality()); // elsewhere: not in the audience
    const at = new Date('2026-06-01T00:00:00Z');
    const local = await publish({ type: 'municipality', municipalityCode: code }, at);
    await open(a, local, new Date('2026-06-01T01:00:00Z'));
    const now = new Date('2026-06-02T00:00:00Z');
    const figures = await getNoticeDelivery(db(), local, now);
    expect(figures).toMatchObject({ kind: 'broadcast', delivered: 2, opened: 1, openRate: 0.5 });
    expect(formatRate(figures!.openRate, 'en')).toBe('50.0%');

    // A resident who moves in later is counted: the audience is the residents now.
    await resident(code);
    expect((await getNoticeDelivery(db(), local, now))!.delivered).toBe(3);

    const everyone = await publish({ type: 'all' }, at);
    const { rows } = await sql<{ n: string }>`select count(*) as n from resident`.execute(db());
    expect((await getNoticeDelivery(db(), everyone, now))!.delivered).toBe(Number(rows[0]!.n));
  });

  it('an audience of nobody has no open rate', async () => {
    const id = await publish(
      { type: 'municipality', municipalityCode: municipality() },
      new Date('2026-06-01T00:00:00Z'),
    );
    const figures = await getNoticeDelivery(db(), id, new Date('2026-06-03T00:00:00Z'));
    expect(figures).toMatchObject({ delivered: 0, opened: 0, openRate: null });
    expect(formatRate(figures!.openRate, 'ja')).toBeNull();
  });

  it('buckets opens by Japan day from the publication day', async () => {
    const [a, b, c] = (await residents(3)) as [string, string, string];
    // 12:00 on 10 March in Japan.
    const id = await publish(
      { type: 'list', residentIds: [a, b, c] },
      new Date('2026-03-10T03:00:00Z'),
    );
    await open(a, id, new Date('2026-03-10T14:59:00Z')); // 23:59 on the 10th in Japan
    await open(b, id, new Date('2026-03-10T15:00:00Z')); // 00:00 on the 11th in Japan
    await open(c, id, new Date('2026-03-12T10:00:00Z'));
    const delivery = await getNoticeDelivery(db(), id, new Date('2026-03-13T00:00:00Z'));
    expect(delivery!.step).toBe('day');
    expect(delivery!.buckets).toEqual([
      { start: '2026-03-10', end: '2026-03-10', opens: 1, cumulative: 1 },
      { start: '2026-03-11', end: '2026-03-11', opens: 1, cumulative: 2 },
      { start: '2026-03-12', end: '2026-03-12', opens: 1, cumulative: 3 },
      { start: '2026-03-13', end: '2026-03-13', opens: 0, cumulative: 3 },
    ]);
  });

  it('counts per week after 60 days, and stops at withdrawal', async () => {
    const [a, b] = (await residents(2)) as [string, string];
    const id = await publish(
      { type: 'list', residentIds: [a, b] },
      new Date('2025-01-01T00:00:00Z'),
    );
    await open(a, id, new Date('2025-01-01T03:00:00Z'));
    await open(b, id, new Date('2025-01-09T03:00:00Z'));
    const now = new Date('2025-04-01T00:00:00Z'); // 91 days in Japan
    const weekly = await getNoticeDelivery(db(), id, now);
    expect(weekly!.step).toBe('week');
    expect(weekly!.buckets).toHaveLength(13);
    expect(weekly!.buckets.slice(0, 3)).toEqual([
      { start: '2025-01-01', end: '2025-01-07', opens: 1, cumulative: 1 },
      { start: '2025-01-08', end: '2025-01-14', opens: 1, cumulative: 2 },
      { start: '2025-01-15', end: '2025-01-21', opens: 0, cumulative: 2 },
    ]);
    expect(weekly!.buckets.at(-1)).toMatchObject({ start: '2025-03-26', end: '2025-04-01' });

    await withdrawNotice(db(), id, new Date('2025-01-20T00:00:00Z'));
    const stopped = await getNoticeDelivery(db(), id, now);
    expect(stopped!.step).toBe('day');
    expect(stopped!.buckets.at(-1)).toMatchObject({ start: '2025-01-20', cumulative: 2 });
  });

  it('a scheduled notice has no figures yet; an unknown one is null', async () => {
    const [a] = (await residents(1)) as [string];
    const id = await publish({ type: 'list', residentIds: [a] }, new Date('2026-09-01T00:00:00Z'));
    const delivery = await getNoticeDelivery(db(), id, new Date('2026-08-01T00:00:00Z'));
    expect(delivery).toMatchObject({ published: false, openRate: null, buckets: [] });
    expect(await getNoticeDelivery(db(), crypto.randomUUID())).toBeNull();
    expect(await getNoticeDelivery(db(), 'nope')).toBeNull();
  });
});

describe('monthly totals', () => {
  it('group notices by Japan month and kind, with their audiences and read rows', async () => {
    const code = municipality();
    const [a, b] = (await residents(2, code)) as [string, string];
    const [c] = (await residents(1)) as [string];
    const now = new Date('2027-03-05T00:00:00Z');

    // 23:59 on 31 January in Japan: January.
    const january = await publish(
      { type: 'list', residentIds: [a] },
      new Date('2027-01-31T14:59:00Z'),
    );
    // 00:30 on 1 February in Japan: February, although it is still January in UTC.
    const february = await publish(
      { type: 'list', residentIds: [a, c] },
      new Date('2027-01-31T15:30:00Z'),
    );
    const broadcast = await publish(
      { type: 'municipality', municipalityCode: code },
      new Date('2027-02-10T00:00:00Z'),
    );
    // Not delivered: scheduled after `now`, and withdrawn before its publication.
    await publish({ type: 'list', residentIds: [a] }, new Date('2027-03-20T00:00:00Z'));
    const cancelled = await publish(
      { type: 'list', residentIds: [b] },
      new Date('2027-02-20T00:00:00Z'),
    );
    await withdrawNotice(db(), cancelled, new Date('2027-02-19T00:00:00Z'));

    await open(a, january, new Date('2027-02-01T00:00:00Z'));
    await open(a, february, new Date('2027-02-01T00:00:00Z'));
    await open(a, february, new Date('2027-02-02T00:00:00Z')); // again: still one
    await open(b, broadcast, new Date('2027-02-11T00:00:00Z'));
    await open(a, broadcast, new Date('2027-03-01T00:00:00Z')); // opened in March, counts for February

    const totals = await monthlyDeliveryTotals(db(), { from: '2026-12', to: '2027-03' }, now);
    const pick = (month: string, category: string) =>
      totals.find((t) => t.month === month && t.category === category);
    expect(totals).toHaveLength(8);
    expect(totals.map((t) => `${t.category} ${t.month}`)).toEqual([
      'broadcast 2026-12',
      'broadcast 2027-01',
      'broadcast 2027-02',
      'broadcast 2027-03',
      'targeted 2026-12',
      'targeted 2027-01',
      'targeted 2027-02',
      'targeted 2027-03',
    ]);
    expect(pick('2027-01', 'targeted')).toEqual({
      month: '2027-01',
      category: 'targeted',
      notices: 1,
      deliveries: 1,
      opens: 1,
      openRate: 1,
    });
    expect(pick('2027-02', 'targeted')).toEqual({
      month: '2027-02',
      category: 'targeted',
      notices: 1,
      deliveries: 2,
      opens: 1,
      openRate: 0.5,
    });
    expect(pick('2027-02', 'broadcast')).toEqual({
      month: '2027-02',
      category: 'broadcast',
      notices: 1,
      deliveries: 2,
      opens: 2,
      openRate: 1,
    });
    for (const empty of [pick('2026-12', 'targeted'), pick('2027-03', 'targeted')])
      expect(empty).toMatchObject({ notices: 0, deliveries: 0, opens: 0, openRate: null });

    // The figures are the read rows, counted independently.
    const reads = await db()
      .selectFrom('noticeRead')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('noticeId', 'in', [january, february, broadcast])
      .executeTakeFirstOrThrow();
    const summed = totals.reduce((acc, t) => acc + t.opens, 0);
    expect(summed).toBe(Number(reads.n));
  });

  it('counts a broadcast to everyone as all residents at query time', async () => {
    const now = new Date('2028-02-01T00:00:00Z');
    await publish({ type: 'all' }, new Date('2028-01-15T00:00:00Z'));
    await publish({ type: 'all' }, new Date('2028-01-16T00:00:00Z'));
    const { rows } = await sql<{ n: string }>`select count(*) as n from resident`.execute(db());
    const totals = await monthlyDeliveryTotals(db(), { from: '2028-01', to: '2028-01' }, now);
    expect(totals.find((t) => t.category === 'broadcast')).toMatchObject({
      notices: 2,
      deliveries: 2 * Number(rows[0]!.n),
    });
  });
});
