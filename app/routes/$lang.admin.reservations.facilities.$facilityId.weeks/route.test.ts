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
import { addDays, tokyoDate } from '../../i18n/dates.ts';
import { weekStartOf } from '../../reservations/booking-rules.ts';
import { action as newFacility } from '../$lang.admin.reservations.facilities.new/route.tsx';
import { action as facilityAction } from '../$lang.admin.reservations.facilities.$facilityId._index/route.tsx';
import { action, loader } from './route.tsx';

const database = useTestDatabase();
const db = () => database.connection.db;
let manager: Awaited<ReturnType<typeof staffWithSession>>;

beforeAll(async () => {
  manager = await staffWithSession(db(), ['reservations:manage']);
});

/** The answer a route gave with data(): its body and status. */
const body = (answer: unknown) => (answer as { data: Record<string, unknown> }).data;
const status = (answer: unknown) => (answer as { init: { status: number } }).init.status;

async function createFacility(): Promise<string> {
  const created = await settle(() =>
    newFacility(
      actionArgs(routeContext(db()), {
        path: '/ja/admin/reservations/facilities/new',
        params: { lang: 'ja' },
        cookie: manager.cookie,
        form: {
          intent: 'details',
          nameJa: '三崎出張所',
          nameEn: 'Misaki Branch',
          kinds: 'card_pickup',
          slotMinutes: '60',
          placesPerSlot: '4',
        },
      }),
    ),
  );
  const location = (created as Response).headers.get('location') ?? '';
  const id = /facilities\/([0-9a-f-]{36})\?created=1$/.exec(location)?.[1];
  expect(id, location).toBeTruthy();
  return id!;
}

const postHours = (facilityId: string, form: Record<string, string>) =>
  settle(() =>
    facilityAction(
      actionArgs(routeContext(db()), {
        path: `/ja/admin/reservations/facilities/${facilityId}`,
        params: { lang: 'ja', facilityId },
        cookie: manager.cookie,
        form: { intent: 'hours', ...form },
      }),
    ),
  );

describe('the facility and weeks pages', () => {
  it('create a facility, and say next to the day’s field when its hours text is wrong', async () => {
    const facilityId = await createFacility();
    const bad = await postHours(facilityId, { w1: '9:00-12:00', w2: '13:00-9:00', w3: 'noon' });
    expect(status(bad)).toBe(400);
    const result = body(bad).result as { error: Record<string, string[]> };
    expect(result.error).toEqual({ w2: ['errors.spans'], w3: ['errors.spans'] });
    const good = await postHours(facilityId, { w1: '9:00-12:00, 13:00-15:00' });
    expect(body(good)).toMatchObject({ done: 'hours.saved' });
  });

  it('publish next week: its slots are made and shown, and the publishing is audited', async () => {
    const facilityId = await createFacility();
    const everyDay = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [`w${d}`, '9:00-11:00']));
    await postHours(facilityId, everyDay);
    const week = addDays(weekStartOf(tokyoDate(new Date())), 7);
    const path = `/ja/admin/reservations/facilities/${facilityId}/weeks`;
    const published = await settle(() =>
      action(
        actionArgs(routeContext(db()), {
          path,
          params: { lang: 'ja', facilityId },
          cookie: manager.cookie,
          form: { intent: 'publish', week },
        }),
      ),
    );
    expect(body(published)).toMatchObject({
      notice: { key: 'weeks.publishedNotice', values: { week } },
    });
    const page = await loader(
      loaderArgs(routeContext(db()), {
        path: `${path}?week=${week}`,
        params: { lang: 'ja', facilityId },
        cookie: manager.cookie,
      }),
    );
    expect(page.week).toBe(week);
    expect(page.weeks.find((w) => w.weekStart === week)).toMatchObject({ published: true });
    // Two slots a day, on every day of the week that is not a national holiday.
    expect(page.slots.length).toBeGreaterThanOrEqual(2);
    expect(page.slots.length % 2).toBe(0);
    expect(page.slots.every((s) => s.capacity === 4 && s.taken === 0)).toBe(true);
    const entries = await auditEntries(db(), {
      action: 'reservations.week_publish',
      actorId: manager.accountId,
    });
    expect(entries).toHaveLength(1);
  });
});
