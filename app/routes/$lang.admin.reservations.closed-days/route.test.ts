import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/database.ts';
import { auditEntries, routeAt, useStaff } from '../../../test/support/routes.ts';
import { loader as facilitiesLoader } from '../$lang.admin.reservations.facilities._index.tsx';
import { action as newFacility } from '../$lang.admin.reservations.facilities.new/route.tsx';
import { action, loader } from './route.tsx';

const database = useTestDatabase();
const db = () => database.connection.db;
const staff = useStaff(db, { manager: ['reservations:manage'], other: ['targets:manage'] });
const route = routeAt(db, { path: '/ja/admin/reservations/closed-days', loader, action });
const post = route.post;
const facilities = routeAt(db, {
  path: '/ja/admin/reservations/facilities',
  loader: facilitiesLoader,
});
const facilityForm = routeAt(db, {
  path: '/ja/admin/reservations/facilities/new',
  action: newFacility,
});

describe('the staff calendar pages', () => {
  it('refuse staff without reservations:manage (403) on pages and actions', async () => {
    const page = await route.load(staff.other.cookie);
    expect((page as Response).status).toBe(403);
    const list = await facilities.load(staff.other.cookie);
    expect((list as Response).status).toBe(403);
    const added = await post(staff.other.cookie, { intent: 'add', day: '2027-12-29' });
    expect((added as Response).status).toBe(403);
    const created = await facilityForm.post(staff.other.cookie, {
      intent: 'details',
      nameJa: 'x',
      nameEn: 'x',
      kinds: 'card_pickup',
      slotMinutes: '60',
      placesPerSlot: '4',
    });
    expect((created as Response).status).toBe(403);
  });

  it('let a manager add a closed day (audited), and say so next to the field when it exists', async () => {
    const first = await post(staff.manager.cookie, {
      intent: 'add',
      day: '2027-12-29',
      reasonJa: '年末',
      reasonEn: 'Year end',
    });
    expect(first).toMatchObject({ done: 'closedDays.added' });
    const again = await post(staff.manager.cookie, { intent: 'add', day: '2027-12-29' });
    expect(JSON.stringify(again), JSON.stringify(again)).toContain('closedDays.exists');
    const bad = await post(staff.manager.cookie, { intent: 'add', day: '2027-02-30' });
    expect(JSON.stringify(bad)).toContain('errors.date');
    const entries = await auditEntries(db(), {
      action: 'reservations.closed_day_add',
      actorId: staff.manager.accountId,
    });
    expect(entries).toHaveLength(1);
  });
});
