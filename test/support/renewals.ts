/** Renewal-target tests: valid resident-register codes and a clerk to act as. */
import { randomInt, randomUUID } from 'node:crypto';
import { beforeAll } from 'vitest';
import type { Db } from '../../db/connection.ts';
import type { Permission } from '../../app/identity/permissions.ts';
import { registerCodeCheckDigit } from '../../app/targets/register-code.ts';
import type { AuditActor } from '../../app/audit/audit.ts';
import type { Secrets } from '../../app/platform/secrets.server.ts';
import { printRenewalForms } from '../../app/targets/renewal-output.service.server.ts';
import { addRenewalByHand } from '../../app/targets/renewal.service.server.ts';
import { staffWithSession } from './routes.ts';

/** An 11-digit code with its right check digit (random unless the first ten are given). */
export function validRegisterCode(first10?: string): string {
  const body = first10 ?? Array.from({ length: 10 }, () => randomInt(10)).join('');
  return `${body}${registerCodeCheckDigit(body)}`;
}

/** The same code with a wrong check digit. */
export const withWrongCheckDigit = (code: string) =>
  `${code.slice(0, 10)}${(Number(code[10]) + 1) % 10}`;

export async function renewalClerk(db: Db, permissions: Permission[]) {
  const staff = await staffWithSession(db, permissions);
  return {
    ...staff,
    actor: {
      actorType: 'staff' as const,
      actorId: staff.accountId,
      onBehalfOfResidentId: null,
      ip: '192.0.2.20',
    },
  };
}

/** A clerk with these permissions for the whole file: `clerk()` is its audit actor. */
export function useRenewalClerk(db: () => Db, permissions: Permission[]) {
  let actor: Awaited<ReturnType<typeof renewalClerk>>['actor'] | undefined;
  beforeAll(async () => {
    actor = (await renewalClerk(db(), permissions)).actor;
  });
  return () => {
    if (!actor) throw new Error('no clerk yet');
    return actor;
  };
}

/** A renewal target added by hand with its printed form's reservation ID and password. */
export async function renewalWithForm(
  db: Db,
  secrets: Secrets,
  clerk: AuditActor & { actorId: string },
  city: string,
  birthDate = '1960-01-01',
) {
  const added = await addRenewalByHand(db, clerk, city, {
    residentRegisterCode: validRegisterCode(),
    name: '更新 花子',
    nameKana: null,
    birthDate,
    address: '三浦市',
    noticeNumber: `P-${randomUUID().slice(0, 8)}`,
    certificateExpiresOn: null,
  });
  const [form] = (await printRenewalForms(db, secrets, clerk, city, [added.id]))!;
  return { id: added.id, reservationId: form!.reservationId!, password: form!.password! };
}
