/**
 * The day list's close-the-day step and a phone booking without an address or with the rules'
 * questions, through the route (decision 0056).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/database.ts';
import {
  actionArgs,
  auditEntries,
  loaderArgs,
  routeContext,
  settle,
  staffWithSession,
} from '../../../test/support/routes.ts';
import { giveCredentials, insertTargets, targetState } from '../../../test/support/targets.ts';
import {
  bookingMailRows,
  futureWorkingMorning,
  insertFacility,
  insertSlot,
  slotPlaces,
} from '../../../test/support/reservations.ts';
import { useQueues } from '../../../test/support/mail.ts';
import { addDays, tokyoAt, tokyoDate } from '../../i18n/dates.ts';
import { saveRules } from '../../reservations/calendar.service.server.ts';
import { action, loader } from './route.tsx';

const database = useTestDatabase();
const queues = useQueues(database);
const db = () => database.connection.db;
const CITY = routeContext({} as never).env.MADOGUCHI_CITY_CODE;
let clerk: Awaited<ReturnType<typeof staffWithSession>>;
let other: Awaited<ReturnType<typeof staffWithSession>>;
let facilityId = '';
const day = tokyoDate(futureWorkingMorning(14));
const pathOf = (d: string, extra = '') =>
  `/en/admin/reservations/days?date=${d}&facility=${facilityId}${extra}`;

beforeAll(async () => {
  clerk = await staffWithSession(db(), ['reservations:manage']);
  other = await staffWithSession(db(), ['targets:manage']);
  facilityId = await insertFacility(db(), CITY, { kinds: ['card_pickup'] });
});

const get = (path: string, cookie = clerk.cookie) =>
  settle(() =>
    loader(loaderArgs(routeContext(db()), { path, params: { lang: 'en' }, cookie }) as never),
  );

const post = (path: string, form: Record<string, string>, cookie = clerk.cookie) =>
  settle(() =>
    action(
      actionArgs(routeContext(db(), queues.boss), {
        path,
        params: { lang: 'en' },
        cookie,
        form,
      }) as never,
    ),
  );

async function phoneBook(slotId: string, form: Record<string, string>) {
  const [target] = await insertTargets(db(), { city: CITY, count: 1, state: 'letter_printed' });
  const reservationId = await giveCredentials(
    db(),
    routeContext(db()).secrets,
    clerk.accountId,
    target!,
    CITY,
  );
  const answer = await post(pathOf(day), {
    intent: 'book',
    slotId,
    kind: 'card_pickup',
    reservationIds: reservationId,
    phone: '046-882-1111',
    idempotencyKey: randomUUID(),
    ...form,
  });
  return { target: target!, answer };
}

describe('closing a day from the day list', () => {
  it('refuses staff without reservations:manage (403)', async () => {
    const answer = await post(
      pathOf(day),
      { intent: 'closeDay', facilityId, day, message: 'x', expected: '0' },
      other.cookie,
    );
    expect((answer as Response).status).toBe(403);
  });

  it('books by phone without an email address: no mail, the day list says told by phone', async () => {
    const slotId = await insertSlot(db(), CITY, facilityId, {
      startsAt: tokyoAt(day, '09:00'),
      capacity: 3,
    });
    const { target, answer } = await phoneBook(slotId, { email: '' });
    expect((answer as Response).headers.get('Location')).toContain('done=booked');
    expect(await targetState(db(), target)).toBe('booked');
    const page = await get(pathOf(day));
    if (page instanceof Response) throw new Error('no page');
    const [booking] = page.slots[0]!.bookings;
    expect(booking).toMatchObject({ email: null });
    expect(await bookingMailRows(db(), booking!.id)).toEqual([]);
  });

  it("asks the rules' questions: a required one unanswered is an error next to it", async () => {
    const staff = {
      municipalityCode: CITY,
      actor: {
        actorType: 'staff' as const,
        actorId: clerk.accountId,
        onBehalfOfResidentId: null,
        ip: null,
      },
    };
    const saved = await saveRules(db(), staff, {
      kind: 'card_pickup',
      deadlineWorkingDays: 1,
      deadlineTime: '17:00',
      maxPeople: 4,
      horizonDays: 90,
      waitlistHoldHours: 24,
      questions: [
        { id: '', type: 'yesno', required: true, label: { ja: '代理人ですか', en: 'An agent?' } },
      ],
    });
    const question = saved.questions[0]!.id;
    const page = await get(pathOf(day));
    if (page instanceof Response) throw new Error('no page');
    expect(page.questionsByKind.card_pickup).toMatchObject([
      { id: question, type: 'yes_no', required: true, labelEn: 'An agent?' },
    ]);
    const slotId = page.slots[0]!.id;
    const { target, answer } = await phoneBook(slotId, { email: 'taro@example.jp' });
    expect(answer).toMatchObject({
      init: { status: 400 },
      data: { answerErrors: { [`q.${question}`]: 'errors.answerRequired' } },
    });
    expect(await targetState(db(), target)).toBe('letter_printed');
    const again = await phoneBook(slotId, { email: 'taro@example.jp', [`q.${question}`]: 'yes' });
    expect((again.answer as Response).headers.get('Location')).toContain('done=booked');
  });

  it('shows what closing touches, asks for a message, closes once and audits it', async () => {
    const page = await get(pathOf(day, '&close=confirm'));
    if (page instanceof Response) throw new Error('no page');
    expect(page.closing).toEqual({ slots: 1, bookings: 2, people: 2, withoutEmail: 1 });
    const form = { intent: 'closeDay', facilityId, day, expected: '2' };
    expect(await post(pathOf(day, '&close=confirm'), { ...form, message: ' ' })).toMatchObject({
      init: { status: 409 },
      data: { intent: 'closeDay', result: { error: { message: ['errors.closeMessage'] } } },
    });
    const message = 'The hall is closed for a power cut';
    const closed = await post(pathOf(day, '&close=confirm'), { ...form, message });
    expect((closed as Response).headers.get('Location')).toBe(`${pathOf(day)}&done=dayClosed`);
    // The same form again (a double submit) shows the same result and closes nothing more.
    const twice = await post(pathOf(day, '&close=confirm'), { ...form, message });
    expect((twice as Response).headers.get('Location')).toBe(`${pathOf(day)}&done=dayClosed`);
    const after = await get(pathOf(day));
    if (after instanceof Response) throw new Error('no page');
    expect(after.slots.map((s) => s.closed)).toEqual([true]);
    expect(await slotPlaces(db(), CITY, after.slots[0]!.id)).toMatchObject({ taken: 0 });
    const entries = await auditEntries(db(), {
      action: 'reservations.day_close',
      actorId: clerk.accountId,
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).toMatchObject({ day, bookings: 2, people: 2, mailed: 1, message });
    expect(
      await post(pathOf(addDays(day, 1)), {
        ...form,
        day: addDays(day, 1),
        expected: '0',
        message: '',
      }),
    ).toMatchObject({ data: { result: { error: { message: ['errors.closeNoSlots'] } } } });
  });
});
