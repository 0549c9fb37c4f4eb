/** Renewal-target tests: valid resident-register codes and a clerk to act as. */
import { randomInt } from 'node:crypto';
import { beforeAll } from 'vitest';
import type { Db } from '../../db/connection.ts';
import type { Permission } from '../../app/identity/permissions.ts';
import { registerCodeCheckDigit } from '../../app/targets/register-code.ts';
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
