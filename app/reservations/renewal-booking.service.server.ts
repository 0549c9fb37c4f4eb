/**
 * E-certificate renewal bookings at the counter (decision 0055): the clerk marks every renewal
 * target a booking holds as renewed, in one transaction with one audit entry per person (as
 * the renewal page's own "renewed" does). Someone already renewed or cleared is left as they
 * are and said so.
 */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { closeRenewal } from '../targets/renewal.repository.server.ts';
import { lockBooking, renewalMembersOf } from './booking.repository.server.ts';

export type RenewFromBooking =
  | { outcome: 'renewed'; renewed: string[]; notActive: string[] }
  | { outcome: 'not_found' }
  | { outcome: 'not_renewal' };

export async function renewFromBooking(
  db: Db,
  actor: AuditActor & { actorId: string },
  municipalityCode: string,
  bookingId: string,
  now = new Date(),
): Promise<RenewFromBooking> {
  return db.transaction().execute(async (trx): Promise<RenewFromBooking> => {
    const booking = await lockBooking(trx, municipalityCode, bookingId);
    if (!booking || booking.status !== 'booked') return { outcome: 'not_found' };
    if (booking.kind !== 'cert_renewal') return { outcome: 'not_renewal' };
    const renewed: string[] = [];
    const notActive: string[] = [];
    for (const id of await renewalMembersOf(trx, municipalityCode, bookingId)) {
      const key = { municipalityCode, id };
      const closed = await closeRenewal(trx, key, { state: 'renewed', by: actor.actorId, at: now });
      if (!closed) {
        notActive.push(id);
        continue;
      }
      renewed.push(id);
      await recordAudit(trx, {
        ...actor,
        action: 'renewals.renew',
        targetType: 'renewal_target',
        targetId: id,
        outcome: 'success',
        details: { bookingId },
      });
    }
    return { outcome: 'renewed', renewed, notActive };
  });
}
