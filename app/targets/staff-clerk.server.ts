/**
 * A staff member as the targets services see them: the city whose lists they work on and
 * the audit actor with their account. Staff accounts carry no city yet: one Madoguchi serves
 * one municipality's counter (the demo's is 三浦市, 142107). When a deployment serves
 * several, this is the one place that reads the staff member's city.
 */
import type { StaffAccess } from '../identity/guards.server.ts';

const DEPLOYMENT_MUNICIPALITY_CODE = '142107';

export function clerkOf(staff: StaffAccess) {
  return {
    municipalityCode: DEPLOYMENT_MUNICIPALITY_CODE,
    actor: { ...staff.actor, actorId: staff.session.accountId },
  };
}
