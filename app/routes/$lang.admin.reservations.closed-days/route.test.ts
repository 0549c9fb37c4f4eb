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
import { loader as facilitiesLoader } from '../$lang.admin.reservations.facilities._index.tsx';
import { action as newFacility } from '../$lang.admin.reservations.facilities.new/route.tsx';
import { action, loader } from './route.tsx';

const database = useTestDatabase();
const db = () => database.connection.db;
let manager: Awaited<ReturnType<typeof staffWithSession>>;
let other: Awaited<ReturnType<typeof staffWithSession>>;

beforeAll(async () => {
  manager = await staffWithSession(db(), ['reservations:manage']);
  other = await staffWithSession(db(), ['targets:manage']);
});

const path = '/ja/admin/reservations/closed-days';
const post = (cookie: string, form: Record<string, string>) =>
  settle(() =>
    action(actionArgs(routeContext(db()), { path, params: { lang: 'ja' }, cookie, form })),
  );

describe('the staff calendar pages', () => {
  it('refuse staff without reservations:manage (403) on pages and actions', async () => {
    const page = await settle(() =>
      loader(
        loaderArgs(routeContext(db()), { path, params: { lang: 'ja' }, cookie: other.cookie }),
      ),
    );
    expect((page as Response).status).toBe(403);
    const list = await settle(() =>
      facilitiesLoader(
        loaderArgs(routeContext(db()), {
          path: '/ja/admin/reservations/facilities',
          params: { lang: 'ja' },
          cookie: other.cookie,
        }),
      ),
    );
    expect((list as Response).status).toBe(403);
    const added = await post(other.cookie, { intent: 'add', day: '2027-12-29' });
    expect((added as Response).status).toBe(403);
    const created = await settle(() =>
      newFacility(
        actionArgs(routeContext(db()), {
          path: '/ja/admin/reservations/facilities/new',
          params: { lang: 'ja' },
          cookie: other.cookie,
          form: {
            intent: 'details',
            nameJa: 'x',
            nameEn: 'x',
            kinds: 'card_pickup',
            slotMinutes: '60',
            placesPerSlot: '4',
          },
        }),
      ),
    );
    expect((created as Response).status).toBe(403);
  });

  it('let a manager add a closed day (audited), and say so next to the field when it exists', async () => {
    const first = await post(manager.cookie, {
      intent: 'add',
      day: '2027-12-29',
      reasonJa: '年末',
      reasonEn: 'Year end',
    });
    expect(first).toMatchObject({ done: 'closedDays.added' });
    const again = await post(manager.cookie, { intent: 'add', day: '2027-12-29' });
    expect(JSON.stringify(again), JSON.stringify(again)).toContain('closedDays.exists');
    const bad = await post(manager.cookie, { intent: 'add', day: '2027-02-30' });
    expect(JSON.stringify(bad)).toContain('errors.date');
    const entries = await auditEntries(db(), {
      action: 'reservations.closed_day_add',
      actorId: manager.accountId,
    });
    expect(entries).toHaveLength(1);
  });
});
