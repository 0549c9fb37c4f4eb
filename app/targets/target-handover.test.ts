import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { staffWithSession } from '../../test/support/routes.ts';
import { moveTarget, recordHandover } from './target-lifecycle.service.server.ts';
import { portalResident } from '../../test/support/portal-booking.ts';
import { cardOf } from '../../test/support/credentials.ts';
import { issueCredentials, revocationsOf } from '../../test/support/issued-credentials.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import { useQueues } from '../../test/support/mail.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const CITY = '142108';
let clerk: { actorType: 'staff'; actorId: string; onBehalfOfResidentId: null; ip: string };
let targetId = '';

beforeAll(async () => {
  const staff = await staffWithSession(db(), ['targets:manage']);
  clerk = {
    actorType: 'staff',
    actorId: staff.accountId,
    onBehalfOfResidentId: null,
    ip: '192.0.2.40',
  };
  const row = await db()
    .insertInto('pickupTarget')
    .values({
      municipalityCode: CITY,
      applicationId: 'H1',
      manufactureNo: 'MN-H1',
      name: '三浦 花子',
      birthDate: '1985-05-05',
      sex: 'female',
      address: '三浦市',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  targetId = row.id;
});

const handover = {
  issuedAt: new Date('2026-12-02T01:30:00Z'),
  identityDocuments: ['notice_letter', 'driving_licence'],
  faceCheck: 'matched' as const,
  userCertificate: true,
  signingCertificate: true,
  pinSetup: true,
};

describe('the lifecycle at the counter', () => {
  it('moves step by step, refuses a skipped step, and records each move', async () => {
    expect(await moveTarget(db(), clerk, CITY, targetId, 'booked')).toEqual({
      outcome: 'not_allowed',
      from: 'imported',
    });
    expect(await recordHandover(db(), clerk, CITY, targetId, handover)).toEqual({
      outcome: 'not_booked',
      state: 'imported',
    });
    for (const to of ['setup_done', 'letter_printed', 'booked'] as const)
      expect(await moveTarget(db(), clerk, CITY, targetId, to)).toMatchObject({
        outcome: 'moved',
        to,
      });
    const moves = await db()
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'targets.transition')
      .where('targetId', '=', targetId)
      .orderBy('id')
      .execute();
    expect(moves.map((m) => m.details)).toEqual([
      { from: 'imported', to: 'setup_done' },
      { from: 'setup_done', to: 'letter_printed' },
      { from: 'letter_printed', to: 'booked' },
    ]);
  });

  it('hands the card over once, even when two clerks press at the same moment', async () => {
    const results = await Promise.all([
      recordHandover(db(), clerk, CITY, targetId, handover),
      recordHandover(db(), clerk, CITY, targetId, handover),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['already_issued', 'issued']);
    const rows = await db()
      .selectFrom('pickupHandover')
      .select(['manufactureNo', 'issuedBy', 'faceCheck', 'identityDocuments'])
      .where('targetId', '=', targetId)
      .execute();
    expect(rows).toEqual([
      {
        manufactureNo: 'MN-H1',
        issuedBy: clerk.actorId,
        faceCheck: 'matched',
        identityDocuments: ['notice_letter', 'driving_licence'],
      },
    ]);
    const state = await db()
      .selectFrom('pickupTarget')
      .select('state')
      .where('id', '=', targetId)
      .executeTakeFirstOrThrow();
    expect(state.state).toBe('issued');
    const audited = await db()
      .selectFrom('auditLog')
      .select('action')
      .where('action', '=', 'targets.handover')
      .where('targetId', '=', targetId)
      .execute();
    expect(audited).toHaveLength(1);
    expect(await recordHandover(db(), clerk, CITY, targetId, handover)).toEqual({
      outcome: 'already_issued',
    });
  });
});

describe('the hand-over of a new card to a resident of the portal', () => {
  const queues = useQueues(database);

  it('records the card (its validity ties the mdocs) and revokes the mdocs of the card it replaces', async () => {
    const residentId = await portalResident(db(), CITY, 'AB1234567890', '1990-07-10');
    // The resident's mdoc of their old card (issued 2024-04-01 by issueCredentials' card).
    const { credentialIds } = await issueCredentials(db(), queues.boss, testSecrets(), residentId);
    const target = await db()
      .insertInto('pickupTarget')
      .values({
        municipalityCode: CITY,
        applicationId: 'H2',
        manufactureNo: 'AB1234567890',
        name: '三浦 次郎',
        birthDate: '1990-07-10',
        sex: 'male',
        address: '三浦市',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const to of ['setup_done', 'letter_printed', 'booked'] as const)
      await moveTarget(db(), clerk, CITY, target.id, to);

    expect(await recordHandover(db(), clerk, CITY, target.id, handover)).toEqual({
      outcome: 'issued',
    });
    // Handed over 2026-12-02 10:30 in Japan: valid to the 10th birthday after it.
    expect(await cardOf(db(), residentId)).toEqual({
      issuedOn: '2026-12-02',
      expiresOn: '2036-07-10',
    });
    const revoked = await revocationsOf(db(), residentId);
    expect(revoked.map((r) => [r.id, r.revokedReason])).toEqual(
      credentialIds.map((id) => [id, 'card_reissued']),
    );
  });
});
