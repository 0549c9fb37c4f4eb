/** Booking site texts in tests: a clerk who may edit them, and what the store holds. */
import type { Db } from '../../db/connection.ts';
import { staffWithSession } from './routes.ts';

/** A staff member with `reservations:content`, signed in, and the clerk the services take. */
export async function contentClerk(db: Db, municipalityCode = '142107') {
  const staff = await staffWithSession(db, ['reservations:content']);
  return {
    ...staff,
    clerk: {
      municipalityCode,
      actor: {
        actorType: 'staff' as const,
        actorId: staff.accountId,
        onBehalfOfResidentId: null,
        ip: '192.0.2.30',
      },
    },
  };
}

/** Every stored version of a piece in one language, oldest first (the test reads, never writes). */
export function storedVersions(
  db: Db,
  key: { municipalityCode: string; piece: string; locale: string },
) {
  return db
    .selectFrom('bookingContentVersion')
    .select(['version', 'body', 'createdBy', 'publishedBy', 'publishedAt'])
    .where('municipalityCode', '=', key.municipalityCode)
    .where('piece', '=', key.piece as 'faq')
    .where('locale', '=', key.locale as 'ja')
    .orderBy('version')
    .execute();
}

/** The booking-content audit entries of one staff member, oldest first. */
export function contentAudit(db: Db, accountId: string) {
  return db
    .selectFrom('auditLog')
    .select(['action', 'targetId', 'details'])
    .where('action', 'like', 'booking\\_content.%')
    .where('actorId', '=', accountId)
    .orderBy('occurredAt')
    .orderBy('id')
    .execute();
}
