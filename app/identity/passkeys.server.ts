import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { AccountKind, Database } from '../../db/schema.ts';
import { isUuid } from '../platform/ids.ts';
import { inTransaction } from '../platform/transaction.server.ts';
import {
  countPasskeysOfAccount,
  deletePasskey,
  findAccountForRegistration,
  findCredentialsOfAccount,
  findPasskeyByCredential,
  findPasskeysOfAccount,
  insertChallenge,
  insertPasskey,
  insertPasskeyAccount,
  lockAccountForUpdate,
  markChallengeUsed,
  passkeyBelongsTo,
  updatePasskeyName,
  updatePasskeyUse,
} from './passkey.repository.server.ts';

/** Why a passkey ceremony failed; each has its own localized message. */
type PasskeyFailure =
  'expired' | 'invalid' | 'unknown_passkey' | 'wrong_kind' | 'duplicate' | 'disabled';

export class PasskeyError extends Error {
  readonly reason: PasskeyFailure;
  constructor(reason: PasskeyFailure, message?: string) {
    super(message ?? reason);
    this.reason = reason;
  }
}

export type RelyingParty = { id: string; name: string; origin: string };

export function relyingParty(publicOrigin: string): RelyingParty {
  return { id: new URL(publicOrigin).hostname, name: 'Madoguchi', origin: publicOrigin };
}

const CHALLENGE_MINUTES = 5;

async function storeChallenge(
  db: Db,
  challenge: string,
  purpose: 'register' | 'authenticate',
  accountId: string | null,
  context: Record<string, unknown>,
) {
  return insertChallenge(db, {
    challenge,
    purpose,
    accountId,
    context,
    expiresAt: new Date(Date.now() + CHALLENGE_MINUTES * 60_000),
  });
}

/** Takes a challenge once: a second use (a replayed response) finds nothing. */
async function consumeChallenge(db: Db, challengeId: string, purpose: 'register' | 'authenticate') {
  if (!isUuid(challengeId)) throw new PasskeyError('invalid', 'malformed challenge id');
  const row = await markChallengeUsed(db, challengeId, purpose, new Date());
  if (!row) throw new PasskeyError('expired', 'challenge unknown or already used');
  if (row.expiresAt <= new Date()) throw new PasskeyError('expired', 'challenge expired');
  return row;
}

/**
 * Registration options for an existing account, or for an account that will exist only once
 * its first passkey is verified (`newAccount`: a proxy enrolling), so abandoned attempts
 * leave nothing behind.
 */
export async function beginRegistration(
  db: Db,
  rp: RelyingParty,
  subject: string | { newAccount: { kind: 'proxy'; displayName: string } },
  context: Record<string, unknown> = {},
): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const accountId = typeof subject === 'string' ? subject : null;
  const account = accountId
    ? await findAccountForRegistration(db, accountId)
    : {
        displayName: typeof subject === 'string' ? '' : subject.newAccount.displayName,
        webauthnUserHandle: randomBytes(32),
      };
  const existing = accountId ? await findCredentialsOfAccount(db, accountId) : [];
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: new Uint8Array(account.webauthnUserHandle),
    // The WebAuthn user name is what a passkey manager shows; never an identifier like a register code.
    userName: account.displayName,
    userDisplayName: account.displayName,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({
      id: Buffer.from(p.credentialId).toString('base64url'),
      transports: p.transports,
    })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    timeout: CHALLENGE_MINUTES * 60_000,
  });
  const newAccount =
    typeof subject === 'string'
      ? undefined
      : { ...subject.newAccount, userHandle: account.webauthnUserHandle.toString('base64url') };
  const challengeId = await storeChallenge(
    db,
    options.challenge,
    'register',
    accountId,
    newAccount ? { ...context, newAccount } : context,
  );
  return { challengeId, options };
}

export type RegisteredPasskey = {
  accountId: string;
  passkeyId: string;
  context: Record<string, unknown>;
};

/**
 * Verifies the browser's answer and stores the new passkey. Nothing is stored on failure.
 * `within` runs in the transaction that stores it: what the registration completes (a letter
 * used, an invitation accepted, the audit entry) commits with the passkey or not at all.
 */
export async function finishRegistration(
  db: Db,
  rp: RelyingParty,
  input: { challengeId: string; response: unknown; name: string },
  within?: (trx: Transaction<Database>, created: RegisteredPasskey) => Promise<void>,
): Promise<RegisteredPasskey> {
  const challenge = await consumeChallenge(db, input.challengeId, 'register');
  const newAccount = challenge.context.newAccount as
    { kind: 'proxy'; displayName: string; userHandle: string } | undefined;
  if (!challenge.accountId && !newAccount) throw new PasskeyError('invalid');
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response as RegistrationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch (error) {
    throw new PasskeyError('invalid', error instanceof Error ? error.message : String(error));
  }
  if (!verification.verified) throw new PasskeyError('invalid');
  const info = verification.registrationInfo;
  return db.transaction().execute(async (trx) => {
    const accountId =
      challenge.accountId ??
      (await insertPasskeyAccount(trx, {
        kind: newAccount!.kind,
        displayName: newAccount!.displayName,
        webauthnUserHandle: Buffer.from(newAccount!.userHandle, 'base64url'),
      }));
    const passkeyId = await insertPasskey(trx, {
      accountId,
      credentialId: Buffer.from(info.credential.id, 'base64url'),
      publicKey: Buffer.from(info.credential.publicKey),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name: input.name.trim().slice(0, 60) || 'Passkey',
    });
    if (!passkeyId) throw new PasskeyError('duplicate');
    const created = { accountId, passkeyId, context: challenge.context };
    await within?.(trx, created);
    return created;
  });
}

export async function beginAuthentication(
  db: Db,
  rp: RelyingParty,
): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: 'required',
    timeout: CHALLENGE_MINUTES * 60_000,
  });
  const challengeId = await storeChallenge(db, options.challenge, 'authenticate', null, {});
  return { challengeId, options };
}

/** Verifies a sign-in; returns the account behind the passkey if it is of an allowed kind. */
export async function finishAuthentication(
  db: Db,
  rp: RelyingParty,
  input: { challengeId: string; response: unknown; allowedKinds: readonly AccountKind[] },
): Promise<{ accountId: string; kind: AccountKind; passkeyId: string }> {
  const challenge = await consumeChallenge(db, input.challengeId, 'authenticate');
  const response = input.response as AuthenticationResponseJSON;
  if (typeof response?.id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(response.id))
    throw new PasskeyError('invalid');
  const passkey = await findPasskeyByCredential(db, Buffer.from(response.id, 'base64url'));
  if (!passkey) throw new PasskeyError('unknown_passkey');
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: response.id,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: Number(passkey.counter),
        transports: passkey.transports,
      },
    });
  } catch (error) {
    throw new PasskeyError('invalid', error instanceof Error ? error.message : String(error));
  }
  if (!verification.verified) throw new PasskeyError('invalid');
  if (passkey.disabledAt) throw new PasskeyError('disabled');
  if (!input.allowedKinds.includes(passkey.kind)) throw new PasskeyError('wrong_kind');
  await updatePasskeyUse(db, passkey.id, {
    counter: verification.authenticationInfo.newCounter,
    lastUsedAt: new Date(),
  });
  return { accountId: passkey.accountId, kind: passkey.kind, passkeyId: passkey.id };
}

export function listPasskeys(db: Db, accountId: string) {
  return findPasskeysOfAccount(db, accountId);
}

export function renamePasskey(
  db: Db,
  accountId: string,
  passkeyId: string,
  name: string,
): Promise<boolean> {
  return updatePasskeyName(db, accountId, passkeyId, name.trim().slice(0, 60));
}

/**
 * Removes a passkey unless it is the account's last one: an account is never left without a
 * way in. The count and the delete happen under a lock on the account row.
 */
export async function removePasskey(
  db: Db,
  accountId: string,
  passkeyId: string,
): Promise<'removed' | 'last' | 'not_found'> {
  return inTransaction(db, async (trx) => {
    await lockAccountForUpdate(trx, accountId);
    const count = await countPasskeysOfAccount(trx, accountId);
    if (!(await passkeyBelongsTo(trx, accountId, passkeyId))) return 'not_found';
    if (count <= 1) return 'last';
    await deletePasskey(trx, passkeyId);
    return 'removed';
  });
}

type PostedRegistration =
  | { ok: true; accountId: string; passkeyId: string; context: Record<string, unknown> }
  | { ok: false; error: PasskeyFailure | 'missing' };

/**
 * Finishes a registration posted by the PasskeyForm (fields challengeId and response): the
 * verified passkey, or why not — a missing answer (no JavaScript), a malformed one, or a
 * PasskeyError's reason. Any other error is a bug and is thrown.
 */
export async function finishPostedRegistration(
  db: Db,
  rp: RelyingParty,
  form: FormData,
  name: string,
): Promise<PostedRegistration> {
  const response = String(form.get('response') ?? '');
  if (!response) return { ok: false, error: 'missing' };
  try {
    const created = await finishRegistration(db, rp, {
      challengeId: String(form.get('challengeId') ?? ''),
      response: JSON.parse(response) as unknown,
      name,
    });
    return { ok: true, ...created };
  } catch (error) {
    if (error instanceof PasskeyError) return { ok: false, error: error.reason };
    if (error instanceof SyntaxError) return { ok: false, error: 'invalid' };
    throw error;
  }
}
