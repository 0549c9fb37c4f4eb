import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgBoss } from 'pg-boss';
import { useTestDatabase } from '../../test/database.ts';
import { auditEntries, residentWithSession, staffWithSession } from '../../test/support/routes.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import {
  issueCredentials,
  noticesTo,
  pushPlannedFor,
  revocationsOf,
} from '../../test/support/issued-credentials.ts';
import { startBoss } from '../../jobs/boss.ts';
import { createQueues } from '../../jobs/worker.ts';
import { queues } from '../../jobs/queues.ts';
import { createLogger } from '../platform/logger.server.ts';
import { findResident, upsertResidents } from '../identity/residents.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import {
  recordRegisterEnd,
  recordResidentCard,
  revokeCredentials,
} from './revocation.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const secrets = testSecrets();
let boss: PgBoss;

beforeAll(async () => {
  boss = await startBoss(database.connection.sql, createLogger('silent'), { supervise: false });
  await createQueues(boss, queues);
});
afterAll(async () => {
  await boss.stop({ graceful: false });
});

const staffActor = async (): Promise<AuditActor> => {
  const staff = await staffWithSession(db(), ['credentials:manage']);
  return { actorType: 'staff', actorId: staff.accountId, onBehalfOfResidentId: null, ip: null };
};

/** A resident with `keys` credentials issued to one linked app. */
async function residentWithCredentials(keys = 2) {
  const resident = await residentWithSession(db());
  const issued = await issueCredentials(db(), boss, secrets, resident.residentId, { keys });
  expect(issued.credentialIds).toHaveLength(keys);
  return { ...resident, ...issued };
}

describe('revokeCredentials', () => {
  it('revokes one credential, records who and why, audits it and tells the resident', async () => {
    const r = await residentWithCredentials(2);
    const actor = await staffActor();
    const result = await revokeCredentials(
      db(),
      actor,
      {
        residentId: r.residentId,
        credentials: { ids: [r.credentialIds[0]!] },
        reason: 'lost_device',
      },
      { boss },
    );
    expect(result).toEqual({ outcome: 'revoked', revoked: [r.credentialIds[0]] });
    const rows = await revocationsOf(db(), r.residentId);
    expect(rows[0]).toMatchObject({
      revokedBy: actor.actorId,
      revokedReason: 'lost_device',
      revokedNote: null,
    });
    expect(rows[0]!.revokedAt).toBeInstanceOf(Date);
    expect(rows[1]!.revokedAt).toBeNull();
    const audits = await auditEntries(db(), {
      action: 'credential.revoke',
      targetId: r.residentId,
    });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ outcome: 'success', actorId: actor.actorId });
    expect(audits[0]!.details).toMatchObject({
      reason: 'lost_device',
      credentials: [r.credentialIds[0]],
    });
    const notices = await noticesTo(db(), r.residentId);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.titleEn).toBe('Your card data on your phone was withdrawn');
    expect(notices[0]!.bodyEn).not.toContain('get it again');
    expect(await pushPlannedFor(db(), notices[0]!.id)).toBe(true);
  });

  it('revokes all, then a second time changes nothing and says so (audited as unchanged)', async () => {
    const r = await residentWithCredentials(2);
    const actor = await staffActor();
    const input = {
      residentId: r.residentId,
      credentials: 'all' as const,
      reason: 'staff_other' as const,
      note: '本人から電話で申出',
    };
    const first = await revokeCredentials(db(), actor, input, { boss });
    expect(first.outcome).toBe('revoked');
    expect([...first.revoked].sort()).toEqual([...r.credentialIds].sort());
    const second = await revokeCredentials(db(), actor, input, { boss });
    expect(second).toEqual({ outcome: 'unchanged', revoked: [] });
    const rows = await revocationsOf(db(), r.residentId);
    expect(
      rows.every(
        (c) => c.revokedReason === 'staff_other' && c.revokedNote === '本人から電話で申出',
      ),
    ).toBe(true);
    const audits = await auditEntries(db(), {
      action: 'credential.revoke',
      targetId: r.residentId,
    });
    expect(audits.map((a) => (a.details as { unchanged?: boolean }).unchanged ?? false)).toEqual([
      false,
      true,
    ]);
    expect(await noticesTo(db(), r.residentId)).toHaveLength(1);
  });

  it('two concurrent revocations of the same credential revoke it once', async () => {
    const r = await residentWithCredentials(1);
    const actor = await staffActor();
    const input = {
      residentId: r.residentId,
      credentials: { ids: r.credentialIds },
      reason: 'resident_request' as const,
    };
    const results = await Promise.all([
      revokeCredentials(db(), actor, input, { boss }),
      revokeCredentials(db(), actor, input, { boss }),
    ]);
    expect(results.map((x) => x.outcome).sort()).toEqual(['revoked', 'unchanged']);
    expect(await noticesTo(db(), r.residentId)).toHaveLength(1);
  });

  it("refuses another resident's credential and changes nothing", async () => {
    const mine = await residentWithCredentials(1);
    const other = await residentWithCredentials(1);
    const result = await revokeCredentials(
      db(),
      await staffActor(),
      {
        residentId: mine.residentId,
        credentials: { ids: other.credentialIds },
        reason: 'lost_device',
      },
      { boss },
    );
    expect(result.outcome).toBe('not_found');
    expect((await revocationsOf(db(), other.residentId))[0]!.revokedAt).toBeNull();
  });

  it('needs words for staff_other', async () => {
    const r = await residentWithCredentials(1);
    await expect(
      revokeCredentials(db(), await staffActor(), {
        residentId: r.residentId,
        credentials: 'all',
        reason: 'staff_other',
        note: '  ',
      }),
    ).rejects.toThrow(/note/);
  });
});

describe('automatic revocation from the register', () => {
  it('a reissued card revokes the live credentials; the app may get new ones (said in the push)', async () => {
    const r = await residentWithCredentials(2);
    // The same card again changes nothing.
    expect(
      await recordResidentCard(
        db(),
        { residentId: r.residentId, issuedOn: '2024-04-01', expiresOn: '2034-03-31' },
        { boss },
      ),
    ).toEqual({ revoked: [] });
    const done = await recordResidentCard(
      db(),
      { residentId: r.residentId, issuedOn: '2026-11-20', expiresOn: '2036-11-19' },
      { boss },
    );
    expect(done.revoked).toHaveLength(2);
    const rows = await revocationsOf(db(), r.residentId);
    expect(rows.every((c) => c.revokedReason === 'card_reissued' && c.revokedBy === null)).toBe(
      true,
    );
    const notices = await noticesTo(db(), r.residentId);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.bodyEn).toContain('get it again');
    expect(notices[0]!.bodyJa).toContain('もう一度取得');
    expect(await pushPlannedFor(db(), notices[0]!.id)).toBe(true);
    const audits = await auditEntries(db(), {
      action: 'credential.revoke',
      targetId: r.residentId,
    });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: 'register' });
  });

  it('the end of the registration revokes with its reason, and no new one is offered', async () => {
    const r = await residentWithCredentials(1);
    const done = await recordRegisterEnd(
      db(),
      { residentId: r.residentId, reason: 'moved_out', endedOn: '2026-12-01' },
      { boss },
    );
    expect(done.revoked).toEqual(r.credentialIds);
    expect((await revocationsOf(db(), r.residentId))[0]!.revokedReason).toBe('moved_out');
    const notices = await noticesTo(db(), r.residentId);
    expect(notices[0]!.bodyEn).not.toContain('get it again');
  });

  it('a register import that changes the address revokes (record_changed); one that changes nothing does not', async () => {
    const r = await residentWithCredentials(1);
    const resident = (await findResident(db(), r.residentId))!;
    const { id: _id, nameSearch: _s, createdAt: _c, updatedAt: _u, ...input } = resident;
    const asRegister = { ...input, birthDate: String(input.birthDate) };
    await upsertResidents(db(), [asRegister], { boss });
    expect((await revocationsOf(db(), r.residentId))[0]!.revokedAt).toBeNull();
    await upsertResidents(db(), [{ ...asRegister, address: '神奈川県三浦市南下浦町上宮田1番' }], {
      boss,
    });
    const rows = await revocationsOf(db(), r.residentId);
    expect(rows[0]!.revokedReason).toBe('record_changed');
    const notices = await noticesTo(db(), r.residentId);
    expect(notices).toHaveLength(1);
    expect(await pushPlannedFor(db(), notices[0]!.id)).toBe(true);
  });
});
