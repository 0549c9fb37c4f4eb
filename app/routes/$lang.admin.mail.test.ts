/**
 * The staff mail page without SMTP_URL: what the outbox kept in the local mailbox is listed,
 * and a message opens with its text and attachment names (the opening audited).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { auditEntries, routeAt, useStaff } from '../../test/support/routes.ts';
import { heldMail, useQueues } from '../../test/support/mail.ts';
import { renderMail } from '../mail/render.ts';
import { appointmentAttachment } from '../mail/ics.ts';
import { loader as listLoader } from './$lang.admin.mail._index.tsx';
import { loader as detailLoader } from './$lang.admin.mail.$mailId.tsx';

const database = useTestDatabase();
const db = () => database.connection.db;
const queues = useQueues(database);
const staff = useStaff(db, { reader: ['mail:read'], other: ['audit:read'] });
let mailId = '';
const list = (path: string) => routeAt(db, { path, loader: listLoader });
const detail = (lang: string, id: string) =>
  routeAt(db, {
    path: `/${lang}/admin/mail/${id}`,
    params: { lang, mailId: id },
    loader: detailLoader,
  });
type ListPage = Awaited<ReturnType<typeof listLoader>>;

beforeAll(async () => {
  const content = renderMail({
    locale: 'ja',
    subject: 'ご予約の前日のお知らせ',
    greeting: '三浦 花子 様',
    paragraphs: ['明日、次の日時でお待ちしています。'],
  });
  mailId = await heldMail(db(), queues.boss, {
    kind: 'booking.reminder',
    dedupeKey: `booking.reminder:route-test-${Date.now()}`,
    to: 'hanako@example.jp',
    locale: 'ja',
    ...content,
    attachments: [
      appointmentAttachment({
        uid: 'route-test@madoguchi.example.jp',
        start: new Date('2027-01-15T01:30:00Z'),
        end: new Date('2027-01-15T02:00:00Z'),
        summary: 'マイナンバーカードの受け取り',
      }),
    ],
  });
});

describe('/{lang}/admin/mail', () => {
  it('lists the message kept in the local mailbox, and says why it was not sent', async () => {
    const page = (await list('/ja/admin/mail').load(staff.reader.cookie)) as ListPage;
    expect(page.localMailbox).toBe(true);
    expect(page.messages).toContainEqual(
      expect.objectContaining({
        id: mailId,
        to: 'hanako@example.jp',
        subject: 'ご予約の前日のお知らせ',
        kind: 'booking.reminder',
        status: 'held',
      }),
    );
  });

  it('filters by status', async () => {
    const failed = (await list('/en/admin/mail?status=failed').load(
      staff.reader.cookie,
    )) as ListPage;
    expect(failed.status).toBe('failed');
    expect(failed.messages.map((m) => m.id)).not.toContain(mailId);
  });

  it('opens a message with its text and attachment names, and records the reading', async () => {
    const page = (await detail('en', mailId).load(staff.reader.cookie)) as Awaited<
      ReturnType<typeof detailLoader>
    >;
    expect(page.mail).toMatchObject({ status: 'held', locale: 'ja', attempts: 1 });
    expect(page.mail.textBody).toContain('三浦 花子 様');
    expect(page.mail.attachments).toEqual([
      expect.objectContaining({ filename: 'appointment.ics' }),
    ]);
    const read = await auditEntries(db(), { action: 'mail.view', targetId: mailId });
    expect(read).toEqual([
      expect.objectContaining({ actorId: staff.reader.accountId, outcome: 'success' }),
    ]);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const answer = await detail('ja', id).load(staff.reader.cookie);
      expect(answer).toBeInstanceOf(Response);
      expect((answer as Response).status).toBe(404);
    }
  });

  it('refuses staff without mail:read', async () => {
    for (const answer of [
      await list('/ja/admin/mail').load(staff.other.cookie),
      await detail('ja', mailId).load(staff.other.cookie),
    ])
      expect((answer as Response).status).toBe(403);
  });
});
