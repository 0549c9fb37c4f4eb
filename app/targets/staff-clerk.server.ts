/**
 * A staff member as the targets services see them: the city whose lists they work on and
 * the audit actor with their account. Staff accounts carry no city: one Madoguchi serves one
 * municipality's counter, MADOGUCHI_CITY_CODE (the demo's is 三浦市, 142107). When a
 * deployment serves several, this is the one place that reads the staff member's city.
 */
import type { Env } from '../env.server.ts';
import type { StaffAccess } from '../identity/guards.server.ts';

export function clerkOf(staff: StaffAccess, env: Pick<Env, 'MADOGUCHI_CITY_CODE'>) {
  return {
    municipalityCode: env.MADOGUCHI_CITY_CODE,
    actor: { ...staff.actor, actorId: staff.session.accountId },
  };
}
