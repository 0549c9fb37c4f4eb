import { describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { useTestDatabase } from '../../test/database.ts';
import { upsertResidents } from '../identity/residents.server.ts';
import {
  inboxWithUnread,
  openNotice,
  publishNotice,
  unreadNoticeCount,
  withdrawNotice,
} from './notice.service.server.ts';

// The unread count is stored per resident (migration 0007) and must always equal a count
// made from scratch, whatever happened since it was stored.

const database = useTestDatabase();
const hour = 3600_000;

async function resident(municipalityCode: string) {
  const registerCode = Array.from({ length: 11 }, () => randomInt(10)).join('');
  await upsertResidents(database.connection.db, [residentRecord(registerCode, municipalityCode)]);
  const row = await database.connection.db
    .selectFrom('resident')
    .select('id')
    .where('registerCode', '=', registerCode)
    .executeTakeFirstOrThrow();
  return { id: row.id, registerCode };
}

const residentRecord = (registerCode: string, municipalityCode: string) => ({
  registerCode,
  name: '德永　花子',
  nameKana: 'トクナガ　ハナコ',
  nameLatin: null,
  birthDate: '1980-01-01',
  sex: 'female' as const,
  address: '神奈川県',
  municipalityCode,
  municipalityName: 'x',
  cardManufactureNumber: null,
});

const notice = (overrides: Partial<Parameters<typeof publishNotice>[1]> = {}) => ({
  audience: { type: 'all' as const },
  sender: 'operator',
  titleJa: 'お知らせ',
  bodyJa: '本文',
  titleEn: null,
  bodyEn: null,
  publishAt: new Date(Date.now() - hour),
  expiresAt: null,
  createdBy: null,
  ...overrides,
});

/** The definition, counted from scratch: live, in the audience or addressed, not opened. */
async function truth(residentId: string, now: Date): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from notice n
    where n.publish_at <= ${now} and (n.expires_at is null or n.expires_at > ${now}) and n.withdrawn_at is null
      and ((n.kind = 'broadcast' and (n.audience = 'all' or n.municipality_code =
              (select municipality_code from resident where id = ${residentId}::uuid)))
        or exists (select 1 from notice_recipient r where r.resident_id = ${residentId}::uuid and r.notice_id = n.id))
      and not exists (select 1 from notice_read rd where rd.resident_id = ${residentId}::uuid and rd.notice_id = n.id)`.execute(
    database.connection.db,
  );
  return result.rows[0]?.n ?? 0;
}

/** Whether the resident's stored count is current (the next page reads it, no recount). */
async function stored(residentId: string): Promise<number | null> {
  const result = await sql<{ unread: number | null }>`
    select case when u.cached_version = u.version
                 and u.epoch = (select epoch from notice_unread_epoch) then u.unread end as unread
    from notice_unread u where u.resident_id = ${residentId}::uuid`.execute(database.connection.db);
  return result.rows[0]?.unread ?? null;
}

async function expectRight(residentId: string, now = new Date()) {
  const expected = await truth(residentId, now);
  expect(await unreadNoticeCount(database.connection.db, residentId, now)).toBe(expected);
  // Asked again, the stored count answers, and it is the same.
  expect(await unreadNoticeCount(database.connection.db, residentId, now)).toBe(expected);
  return expected;
}

describe('the stored unread count', () => {
  it('stays right through publishing, opening, scheduling, expiry and withdrawal', async () => {
    const db = database.connection.db;
    const { id: r } = await resident('142107');
    const { id: other } = await resident('142085');
    const now = Date.now();
    const at = (ms: number) => new Date(now + ms);

    const start = await expectRight(r);
    const everyone = await publishNotice(db, notice());
    const city = await publishNotice(
      db,
      notice({ audience: { type: 'municipality', municipalityCode: '142107' } }),
    );
    await publishNotice(
      db,
      notice({ audience: { type: 'municipality', municipalityCode: '142085' } }),
    );
    expect(await expectRight(r)).toBe(start + 2);

    const targeted = await publishNotice(
      db,
      notice({ audience: { type: 'list', residentIds: [r, other] } }),
    );
    const scheduled = await publishNotice(
      db,
      notice({ audience: { type: 'list', residentIds: [r] }, publishAt: at(hour) }),
    );
    const expiring = await publishNotice(
      db,
      notice({ audience: { type: 'list', residentIds: [r] }, expiresAt: at(2 * hour) }),
    );
    const scheduledBroadcast = await publishNotice(db, notice({ publishAt: at(3 * hour) }));
    expect(await expectRight(r)).toBe(start + 4);
    expect(await stored(r)).toBe(start + 4);

    // Opening keeps the stored count current, one less; a second opening changes nothing.
    await openNotice(db, { residentId: r, noticeId: targeted.id, locale: 'ja' });
    expect(await stored(r)).toBe(start + 3);
    await openNotice(db, { residentId: r, noticeId: targeted.id, locale: 'ja' });
    await openNotice(db, { residentId: r, noticeId: everyone.id, locale: 'ja' });
    expect(await stored(r)).toBe(start + 2);
    expect(await expectRight(r)).toBe(start + 2);
    // Another resident's opening does not touch this count.
    await openNotice(db, { residentId: other, noticeId: targeted.id, locale: 'ja' });
    expect(await stored(r)).toBe(start + 2);

    // Time passes: the scheduled notice arrives, then the expiring one leaves, then the
    // scheduled broadcast arrives.
    expect(await expectRight(r, at(hour + 1))).toBe(start + 3);
    expect(await expectRight(r, at(2 * hour + 1))).toBe(start + 2);
    expect(await expectRight(r, at(3 * hour + 1))).toBe(start + 3);
    // Opening the scheduled one once it is live.
    await openNotice(db, {
      residentId: r,
      noticeId: scheduled.id,
      locale: 'ja',
      now: at(3 * hour + 2),
    });
    expect(await expectRight(r, at(3 * hour + 3))).toBe(start + 2);
    expect(await openNotice(db, { residentId: r, noticeId: expiring.id, locale: 'ja' })).not.toBe(
      null,
    );

    // Withdrawal, of a broadcast and of a targeted notice.
    await expectRight(r);
    await withdrawNotice(db, city.id);
    await expectRight(r);
    const another = await publishNotice(
      db,
      notice({ audience: { type: 'list', residentIds: [r] } }),
    );
    await expectRight(r);
    await withdrawNotice(db, another.id);
    expect(await stored(r)).toBeNull();
    await expectRight(r);
    await withdrawNotice(db, scheduledBroadcast.id);
    await expectRight(r, at(3 * hour + 3));
  });

  it('a count stored at one moment serves requests whose clocks read a little earlier', async () => {
    // Under load, requests read the clock at different moments; a count must not be recounted
    // (and overwritten) for each of them while nothing happened in between.
    const db = database.connection.db;
    const { id: r } = await resident('141038');
    await publishNotice(db, notice({ audience: { type: 'list', residentIds: [r] } }));
    const now = Date.now();
    await expectRight(r, new Date(now));
    const computedAt = async () =>
      (
        await sql<{
          at: Date;
        }>`select computed_at as at from notice_unread where resident_id = ${r}::uuid`.execute(db)
      ).rows[0]?.at.getTime();
    const first = await computedAt();
    expect(await unreadNoticeCount(db, r, new Date(now - 2000))).toBe(
      await truth(r, new Date(now)),
    );
    expect(await computedAt()).toBe(first);
  });

  it('follows a move to another municipality', async () => {
    const db = database.connection.db;
    const { id: r, registerCode } = await resident('131016');
    await publishNotice(
      db,
      notice({ audience: { type: 'municipality', municipalityCode: '131016' } }),
    );
    const before = await expectRight(r);
    await upsertResidents(db, [residentRecord(registerCode, '131024')]);
    expect(await expectRight(r)).toBe(before - 1);
  });

  it('notices written by other means (a script, a bulk insert) are counted too', async () => {
    const db = database.connection.db;
    const { id: r } = await resident('141003');
    const before = await expectRight(r);
    await sql`
      with made as (
        insert into notice (kind, audience, sender, title_ja, body_ja, publish_at)
        select 'targeted', 'list', 'operator', 'n' || g, 'b', now() - interval '1 hour'
        from generate_series(1, 5) g returning id, publish_at)
      insert into notice_recipient (resident_id, notice_id, publish_at) select ${r}::uuid, id, publish_at from made`.execute(
      db,
    );
    expect(await expectRight(r)).toBe(before + 5);
    await sql`delete from notice_read where resident_id = ${r}::uuid`.execute(db);
    await expectRight(r);
  });

  it('the inbox page and its count agree with the definition, and the page reads the stored count', async () => {
    const db = database.connection.db;
    const { id: r } = await resident('141011');
    await publishNotice(db, notice({ audience: { type: 'list', residentIds: [r] } }));
    const input = {
      residentId: r,
      locale: 'ja' as const,
      unreadOnly: false,
      sender: null,
      search: null,
      cursor: null,
    };
    const first = await inboxWithUnread(db, input);
    expect(first.unread).toBe(await truth(r, new Date()));
    expect(await stored(r)).toBe(first.unread);
    const second = await inboxWithUnread(db, input);
    expect(second.unread).toBe(first.unread);
    expect(second.items.map((i) => i.id)).toEqual(first.items.map((i) => i.id));
  });

  it('stays right when openings, publications and counts run at the same time', async () => {
    const db = database.connection.db;
    const { id: r } = await resident('141020');
    const made = await Promise.all(
      Array.from({ length: 12 }, () =>
        publishNotice(db, notice({ audience: { type: 'list', residentIds: [r] } })),
      ),
    );
    await expectRight(r);
    await Promise.all([
      ...made.map((n) => openNotice(db, { residentId: r, noticeId: n.id, locale: 'ja' })),
      ...Array.from({ length: 12 }, () => unreadNoticeCount(db, r)),
      ...Array.from({ length: 4 }, () =>
        publishNotice(db, notice({ audience: { type: 'list', residentIds: [r] } })),
      ),
      publishNotice(db, notice()),
    ]);
    await expectRight(r);
  });
});
