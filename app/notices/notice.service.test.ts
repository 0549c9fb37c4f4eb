import { describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { useTestDatabase } from '../../test/database.ts';
import { upsertResidents } from '../identity/residents.server.ts';
import {
  inboxWithUnread,
  listInbox,
  openNotice,
  publishNotice,
  unreadNoticeCount,
  withdrawNotice,
  INBOX_PAGE_SIZE,
} from './notice.service.server.ts';
import { decodeCursor } from './notice.ts';

const database = useTestDatabase();
const hour = 3600_000;

async function resident(municipalityCode = '142107') {
  const registerCode = Array.from({ length: 11 }, () => randomInt(10)).join('');
  await upsertResidents(database.connection.db, [
    {
      registerCode,
      name: '德永　太郎',
      nameKana: 'トクナガ　タロウ',
      nameLatin: null,
      birthDate: '1970-01-01',
      sex: 'male',
      address: '神奈川県',
      municipalityCode,
      municipalityName: 'x',
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

const ids = async (residentId: string, now = new Date()) =>
  (
    await listInbox(database.connection.db, {
      residentId,
      locale: 'ja',
      unreadOnly: false,
      sender: null,
      search: null,
      cursor: null,
      now,
    })
  ).items.map((i) => i.id);

describe('notices', () => {
  it('a targeted notice reaches only its residents; another resident gets 404', async () => {
    const db = database.connection.db;
    const a = await resident();
    const b = await resident();
    const { id } = await publishNotice(
      db,
      notice({ audience: { type: 'list', residentIds: [a] }, titleJa: 'Aさんへ' }),
    );
    expect(await ids(a)).toContain(id);
    expect(await ids(b)).not.toContain(id);
    expect(await openNotice(db, { residentId: b, noticeId: id, locale: 'ja' })).toBeNull();
    expect((await openNotice(db, { residentId: a, noticeId: id, locale: 'ja' }))?.title).toBe(
      'Aさんへ',
    );
  });

  it('a broadcast reaches everyone in its audience and nobody outside it', async () => {
    const db = database.connection.db;
    const miura = await resident('142107');
    const zushi = await resident('142085');
    const everyone = await publishNotice(db, notice({ titleJa: '全員へ' }));
    const city = await publishNotice(
      db,
      notice({
        audience: { type: 'municipality', municipalityCode: '142085' },
        titleJa: '逗子市から',
      }),
    );
    expect(await ids(miura)).toContain(everyone.id);
    expect(await ids(zushi)).toEqual(expect.arrayContaining([everyone.id, city.id]));
    expect(await ids(miura)).not.toContain(city.id);
    expect(await openNotice(db, { residentId: miura, noticeId: city.id, locale: 'ja' })).toBeNull();
    const rows = await db.selectFrom('notice').select('id').where('id', '=', everyone.id).execute();
    expect(rows).toHaveLength(1);
    expect(
      await db
        .selectFrom('noticeRecipient')
        .select('noticeId')
        .where('noticeId', '=', everyone.id)
        .execute(),
    ).toEqual([]);
  });

  it('opening twice records one first-open and the unread count follows', async () => {
    const db = database.connection.db;
    const r = await resident('131016');
    const before = await unreadNoticeCount(db, r);
    const { id } = await publishNotice(
      db,
      notice({ audience: { type: 'list', residentIds: [r] } }),
    );
    expect(await unreadNoticeCount(db, r)).toBe(before + 1);
    const first = await openNotice(db, { residentId: r, noticeId: id, locale: 'ja' });
    const second = await openNotice(db, { residentId: r, noticeId: id, locale: 'ja' });
    expect(first?.firstOpen).toBe(true);
    expect(second?.firstOpen).toBe(false);
    const reads = await db
      .selectFrom('noticeRead')
      .selectAll()
      .where('noticeId', '=', id)
      .execute();
    expect(reads).toHaveLength(1);
    expect(await unreadNoticeCount(db, r)).toBe(before);
  });

  it('scheduled notices appear from their time; expired and withdrawn ones disappear', async () => {
    const db = database.connection.db;
    const r = await resident('131024');
    const now = Date.now();
    const scheduled = await publishNotice(
      db,
      notice({ audience: { type: 'list', residentIds: [r] }, publishAt: new Date(now + hour) }),
    );
    const expiring = await publishNotice(
      db,
      notice({ audience: { type: 'list', residentIds: [r] }, expiresAt: new Date(now + hour) }),
    );
    const withdrawn = await publishNotice(
      db,
      notice({ audience: { type: 'list', residentIds: [r] } }),
    );
    expect(await ids(r)).not.toContain(scheduled.id);
    expect(await ids(r, new Date(now + 2 * hour))).toContain(scheduled.id);
    expect(await ids(r)).toContain(expiring.id);
    expect(await ids(r, new Date(now + 2 * hour))).not.toContain(expiring.id);
    expect(await ids(r)).toContain(withdrawn.id);
    await withdrawNotice(db, withdrawn.id);
    expect(await ids(r)).not.toContain(withdrawn.id);
    expect(
      await openNotice(db, { residentId: r, noticeId: withdrawn.id, locale: 'ja' }),
    ).toBeNull();
  });

  it('pages through a long inbox with a keyset cursor, newest first, without repeats', async () => {
    const db = database.connection.db;
    const r = await resident('141003');
    const base = Date.now() - 1000 * hour;
    const created: string[] = [];
    for (let i = 0; i < 45; i++) {
      created.push(
        (
          await publishNotice(
            db,
            notice({
              audience: { type: 'list', residentIds: [r] },
              titleJa: `第${i}号`,
              publishAt: new Date(base + i * hour),
            }),
          )
        ).id,
      );
    }
    const seen: string[] = [];
    let cursor = null;
    for (;;) {
      const page = await listInbox(db, {
        residentId: r,
        locale: 'ja',
        unreadOnly: false,
        sender: 'operator',
        search: '号',
        cursor,
      });
      seen.push(...page.items.map((i) => i.id));
      expect(page.items.length).toBeLessThanOrEqual(INBOX_PAGE_SIZE);
      if (!page.next) break;
      cursor = decodeCursor(page.next);
    }
    expect(seen).toEqual([...created].reverse());
  });

  it('shows the other language, tagged, when a notice is not written in the page language', async () => {
    const db = database.connection.db;
    const r = await resident('141011');
    const { id } = await publishNotice(
      db,
      notice({
        audience: { type: 'list', residentIds: [r] },
        titleJa: '日本語のみ',
        bodyJa: '本文',
        titleEn: null,
      }),
    );
    const opened = await openNotice(db, { residentId: r, noticeId: id, locale: 'en' });
    expect(opened).toMatchObject({ lang: 'ja', title: '日本語のみ' });
  });

  it('a repeated idempotency key publishes one notice', async () => {
    const db = database.connection.db;
    const r = await resident('141020');
    const key = `k-${randomInt(1e9)}`;
    const [x, y] = await Promise.all([
      publishNotice(
        db,
        notice({ audience: { type: 'list', residentIds: [r, r] }, idempotencyKey: key }),
      ),
      publishNotice(
        db,
        notice({ audience: { type: 'list', residentIds: [r] }, idempotencyKey: key }),
      ),
    ]);
    expect(x.id).toBe(y.id);
    expect([x.created, y.created].sort()).toEqual([false, true]);
    expect(
      await db
        .selectFrom('noticeRecipient')
        .select('residentId')
        .where('noticeId', '=', x.id)
        .execute(),
    ).toHaveLength(1);
  });

  it('counts unread notices only up to the cap, and says so', async () => {
    const db = database.connection.db;
    const r = await resident('141038');
    await sql`
      with made as (
        insert into notice (kind, audience, sender, title_ja, body_ja, publish_at)
        select 'targeted', 'list', 'operator', 'n' || g, 'b', now() - interval '1 hour'
        from generate_series(1, 1005) g returning id, publish_at)
      insert into notice_recipient (resident_id, notice_id, publish_at) select ${r}::uuid, id, publish_at from made`.execute(
      db,
    );
    const inbox = await inboxWithUnread(db, {
      residentId: r,
      locale: 'ja',
      unreadOnly: false,
      sender: null,
      search: null,
      cursor: null,
    });
    expect(inbox.unread).toBe(1000);
    expect(inbox.unreadAtLeast).toBe(true);
    expect(inbox.items).toHaveLength(INBOX_PAGE_SIZE);
  });

  it('pages by the limit asked for: every notice once, in order, the last page without a cursor', async () => {
    const db = database.connection.db;
    const r = await resident('141038');
    await sql`
      with made as (
        insert into notice (kind, audience, sender, title_ja, body_ja, publish_at)
        select 'targeted', 'list', 'operator', 'n' || g, 'b', now() - g * interval '1 minute'
        from generate_series(1, 7) g returning id, publish_at)
      insert into notice_recipient (resident_id, notice_id, publish_at) select ${r}::uuid, id, publish_at from made`.execute(
      db,
    );
    const input = {
      residentId: r,
      locale: 'ja' as const,
      unreadOnly: false,
      sender: null,
      search: null,
    };
    // The whole inbox at once (other tests' broadcasts may reach this resident too).
    const all = await inboxWithUnread(db, { ...input, limit: 100, cursor: null });
    expect(all.next).toBeNull();
    const everything = all.items.map((i) => i.id);
    expect(all.items.map((i) => i.title).filter((t) => /^n\d$/.test(t))).toEqual([
      'n1',
      'n2',
      'n3',
      'n4',
      'n5',
      'n6',
      'n7',
    ]);
    const sizes: number[] = [];
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await inboxWithUnread(db, {
        ...input,
        limit: 3,
        cursor: cursor ? decodeCursor(cursor) : null,
      });
      sizes.push(page.items.length);
      walked.push(...page.items.map((i) => i.id));
      cursor = page.next;
    } while (cursor);
    expect(walked).toEqual(everything);
    expect(sizes.slice(0, -1).every((n) => n === 3)).toBe(true);
    expect(sizes.at(-1)).toBe(everything.length - 3 * (sizes.length - 1));
    expect(sizes.length).toBe(Math.ceil(everything.length / 3));
  });
});
