/**
 * The resident booking flow (decision 0052): household members verified under the sign-in's
 * own throttle, each step sent back with its error and every answer kept, the confirm step
 * booking once for a double submit, and a slot that filled offering the nearest free ones.
 */
import { RuleSchema } from './facility.schema.ts';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import { useQueues } from '../../test/support/mail.ts';
import { insertTargets } from '../../test/support/targets.ts';
import { actionArgs, loaderArgs, routeContext, settle } from '../../test/support/routes.ts';
import {
  activeMembersOf,
  futureWorkingMorning,
  insertFacility,
  insertSlot,
  slotPlaces,
} from '../../test/support/reservations.ts';
import { credentialsForLetters } from '../targets/target-credentials.service.server.ts';
import {
  RESERVATION_ID_THROTTLE,
  signInWithPassword,
  verifyHouseholdMember,
} from './booking-sign-in.service.server.ts';
import { BOOKING_COOKIE } from './booking-session.server.ts';
import { monthWeeks, stepHref } from './booking-flow.ts';
import { detailsProblems, readFlowState, readQuestions } from './booking-flow-input.server.ts';
import { heldBooking } from './booking-flow.service.server.ts';
import { loader as dateLoader } from '../routes/$lang.reservations.book.date.tsx';
import {
  action as timeAction,
  loader as timeLoader,
} from '../routes/$lang.reservations.book.time.tsx';
import {
  action as peopleAction,
  loader as peopleLoader,
} from '../routes/$lang.reservations.book.people.tsx';
import { action as checkAction } from '../routes/$lang.reservations.book.check.tsx';

const database = useTestDatabase();
const db = () => database.connection.db;
const queues = useQueues(database);
const secrets = testSecrets();
const clerk = { actorType: 'staff' as const, actorId: null, onBehalfOfResidentId: null, ip: null };
let serial = 0;
const freshIp = () => `203.0.113.${++serial}`;
const newCity = () => `8${String(Math.floor(Math.random() * 100_000)).padStart(5, '0')}`;

async function letters(city: string, count: number) {
  const ids = await insertTargets(db(), { city, count, state: 'letter_printed' });
  return credentialsForLetters(db(), secrets, clerk, city, ids);
}

/** Signs a letter's resident in; the booking cookie. */
async function cookieOf(letter: { reservationId: string; password: string }) {
  const signIn = await signInWithPassword(db(), { ...letter, ip: freshIp() });
  if (signIn.outcome !== 'signed_in') throw new Error(signIn.outcome);
  return `${BOOKING_COOKIE}=${signIn.token}`;
}

/** The check page's confirm button, as a signed-in resident presses it. */
const confirm = (cookie: string, form: Record<string, string>) =>
  settle(() =>
    checkAction(
      actionArgs(routeContext(db()), {
        path: '/en/reservations/book/check',
        params: { lang: 'en' },
        cookie,
        form,
      }),
    ),
  ) as Promise<Response>;

describe('adding a household member', () => {
  it('verifies by password or date of birth, only in the same city', async () => {
    const city = newCity();
    const [, member] = await letters(city, 2);
    const ip = freshIp();
    const check = (secret: { password: string } | { birthDate: string }, code = city) =>
      verifyHouseholdMember(db(), {
        municipalityCode: code,
        reservationId: member!.reservationId,
        ...secret,
        ip,
      });
    expect(await check({ password: member!.password.toLowerCase() })).toMatchObject({
      outcome: 'verified',
      targetId: member!.targetId,
    });
    expect((await check({ birthDate: '1980-12-03' })).outcome).toBe('verified');
    expect((await check({ birthDate: '1980-12-04' })).outcome).toBe('invalid');
    expect((await check({ password: member!.password }, newCity())).outcome).toBe('invalid');
  });

  it('shares the sign-in throttle: wrong member passwords pause that ID for signing in too', async () => {
    const city = newCity();
    const [member] = await letters(city, 1);
    let last;
    for (let i = 0; i < RESERVATION_ID_THROTTLE.maxFailures; i++)
      last = await verifyHouseholdMember(db(), {
        municipalityCode: city,
        reservationId: member!.reservationId,
        password: 'WRONG123',
        ip: freshIp(),
      });
    expect(last?.outcome).toBe('locked');
    const signIn = await signInWithPassword(db(), {
      reservationId: member!.reservationId,
      password: member!.password,
      ip: freshIp(),
    });
    expect(signIn.outcome).toBe('locked');
  });
});

describe('the steps', () => {
  it('keep every answer in the query and check the details', () => {
    const state = readFlowState(
      new URLSearchParams('kind=card_pickup&email=a%40b.jp&needs=wheelchair&needs=bogus&q.x=1'),
    );
    expect(state).toMatchObject({ kind: 'card_pickup', email: 'a@b.jp', needs: ['wheelchair'] });
    expect(stepHref('en', 'details', state)).toBe(
      '/en/reservations/book/details?kind=card_pickup&email=a%40b.jp&needs=wheelchair&q.x=1',
    );
    const questions = [
      { id: 'x', type: 'yes_no' as const, required: true, labelJa: '', labelEn: '', options: [] },
    ];
    expect(detailsProblems({ ...state, email: 'nope' }, questions)).toEqual({
      email: 'errors.emailInvalid',
      'q.x': 'errors.answerRequired',
    });
    expect(detailsProblems({ ...state, answers: { x: 'yes' } }, questions)).toEqual({});
  });

  it('ask the questions the staff’s rules page stores, in the shape it stores them', () => {
    const saved = RuleSchema.parse({
      kind: 'card_pickup',
      deadlineWorkingDays: '1',
      deadlineTime: '17:00',
      maxPeople: '4',
      horizonDays: '60',
      questions: [
        {
          id: 'q-a',
          type: 'yesno',
          required: 'on',
          labelJa: '代理人ですか',
          labelEn: 'Are you an agent?',
          choicesJa: '',
          choicesEn: '',
        },
        {
          id: 'q-b',
          type: 'choice',
          labelJa: '来庁方法',
          labelEn: 'How you come',
          choicesJa: '徒歩\n車',
          choicesEn: 'On foot\nBy car',
        },
      ],
    });
    const asked = readQuestions(JSON.parse(JSON.stringify(saved.questions)) as unknown[]);
    expect(asked).toEqual([
      {
        id: 'q-a',
        type: 'yes_no',
        required: true,
        labelJa: '代理人ですか',
        labelEn: 'Are you an agent?',
        options: [],
      },
      {
        id: 'q-b',
        type: 'choice',
        required: false,
        labelJa: '来庁方法',
        labelEn: 'How you come',
        options: [
          { value: '徒歩', labelJa: '徒歩', labelEn: 'On foot' },
          { value: '車', labelJa: '車', labelEn: 'By car' },
        ],
      },
    ]);
    expect(
      detailsProblems(
        { ...readFlowState(new URLSearchParams('email=a%40b.jp')), answers: { 'q-b': '車' } },
        asked,
      ),
    ).toEqual({ 'q.q-a': 'errors.answerRequired' });
  });

  it('lay a month out as Monday-first weeks', () => {
    const weeks = monthWeeks('2026-12', new Map([['2026-12-03', 'few']]));
    expect(weeks[0]![0]).toMatchObject({ day: '2026-11-30', outside: true });
    expect(weeks.flat().find((d) => d.day === '2026-12-03')?.availability).toBe('few');
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    expect(weeks.at(-1)!.at(-1)!.day).toBe('2027-01-03');
  });

  it('book a household once for a double submit; a filled slot offers the nearest free ones', async () => {
    const city = newCity();
    const [self, member, late] = await letters(city, 3);
    const cookie = await cookieOf(self!);
    const facility = await insertFacility(db(), city);
    const startsAt = futureWorkingMorning(10);
    const slot = await insertSlot(db(), city, facility, { startsAt, capacity: 3 });
    const later = await insertSlot(db(), city, facility, {
      startsAt: new Date(startsAt.getTime() + 2 * 3600_000),
      capacity: 4,
    });
    // Changing the time sends its email (and offers the old places to the waitlist).
    const context = routeContext(db(), queues.boss);
    const params = { lang: 'en' };

    // No facility: back to the first step with its error.
    const noFacility = await settle(() =>
      dateLoader(loaderArgs(context, { path: '/en/reservations/book/date', params, cookie })),
    );
    expect((noFacility as Response).headers.get('Location')).toContain('e.facility=');

    // The people step: a wrong password is answered on the field, a right one is added.
    const base = { kind: 'card_pickup' as const, facility, slot };
    const path = stepHref('en', 'people', { ...base, needs: [], answers: {} });
    const addMember = (password: string) =>
      settle(() =>
        peopleAction(
          actionArgs(context, {
            path,
            params,
            cookie,
            form: { ...base, reservationId: member!.reservationId, method: 'password', password },
          }),
        ),
      );
    const wrong = (await addMember('WRONG999')) as {
      data: { result: { error: Record<string, string[]> } };
    };
    expect(wrong.data.result.error).toMatchObject({ password: ['errors.memberPassword'] });
    const added = (await addMember(member!.password)) as Response;
    const next = new URL(added.headers.get('Location')!, 'http://x');
    expect(next.pathname).toBe('/en/reservations/book/people');
    const listed = await peopleLoader(
      loaderArgs(context, { path: `${next.pathname}${next.search}`, params, cookie }),
    );
    expect(listed.members.map((m) => m.reservationId.replaceAll('-', ''))).toEqual([
      member!.reservationId,
    ]);

    // Someone else takes two of the three places while the resident answers.
    const confirmForm = (key: string) => ({
      ...Object.fromEntries(next.searchParams),
      email: 'family@example.jp',
      needs: 'wheelchair',
      idempotencyKey: key,
    });
    const key = '00000000-0000-4000-8000-000000000001';
    const first = await confirm(cookie, confirmForm(key));
    expect(first.headers.get('Location')).toBe('/en/reservations?booked=1');
    const again = await confirm(cookie, confirmForm(key));
    expect(again.headers.get('Location')).toBe('/en/reservations?booked=1');
    expect(await slotPlaces(db(), city, slot)).toMatchObject({ taken: 2 });
    const held = await heldBooking(db(), city, self!.targetId);
    expect(await activeMembersOf(db(), city, held!.id)).toEqual(
      [self!.targetId, member!.targetId].sort(),
    );
    expect(held!.needs).toEqual(['wheelchair']);

    const lateCookie = await cookieOf(late!);
    const lateOne = await confirm(lateCookie, {
      kind: 'card_pickup',
      facility,
      slot,
      email: 'late@example.jp',
      idempotencyKey: '00000000-0000-4000-8000-000000000002',
    });
    // One place is left: the late resident alone still fits and books.
    expect(lateOne.headers.get('Location')).toBe('/en/reservations?booked=1');

    // Now the slot is full: a third resident is sent back to the time step, answers kept.
    const [third] = await letters(city, 1);
    const thirdCookie = await cookieOf(third!);
    const full = await confirm(thirdCookie, {
      kind: 'card_pickup',
      facility,
      slot,
      email: 'third@example.jp',
      phone: '046-882-1111',
      idempotencyKey: '00000000-0000-4000-8000-000000000003',
    });
    const back = new URL(full.headers.get('Location')!, 'http://x');
    expect(back.pathname).toBe('/en/reservations/book/time');
    expect(back.searchParams.get('e.slot')).toBe('errors.slotFull');
    expect(back.searchParams.get('email')).toBe('third@example.jp');
    expect(back.searchParams.get('phone')).toBe('046-882-1111');
    const time = await timeLoader(
      loaderArgs(context, {
        path: `${back.pathname}${back.search}`,
        params,
        cookie: thirdCookie,
      }),
    ).catch((r: Response) => {
      throw new Error(String(r.headers.get('Location')));
    });
    expect(time.slots.find((s) => s.id === slot)).toMatchObject({
      choosable: false,
      availability: 'full',
    });
    expect(time.slots.find((s) => s.id === later)).toMatchObject({ choosable: true });

    // The first household changes its time: places move, the same people keep them.
    const changed = (await settle(() =>
      timeAction(
        actionArgs(context, {
          path: '/en/reservations/book/time',
          params,
          cookie,
          form: { change: held!.id, kind: 'card_pickup', facility, slot: later },
        }),
      ),
    )) as Response;
    expect(changed.headers.get('Location')).toBe('/en/reservations?changed=1');
    expect(await slotPlaces(db(), city, later)).toMatchObject({ taken: 2 });
    expect(await slotPlaces(db(), city, slot)).toMatchObject({ taken: 1 });
    expect((await heldBooking(db(), city, member!.targetId))?.slotId).toBe(later);
  });
});
