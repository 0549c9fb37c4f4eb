import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import type { Secrets } from '../../app/platform/secrets.server.ts';
import { issuerKeys } from '../../app/credentials/issuer-keys.server.ts';
import { nonceKey } from '../../app/credentials/c-nonce.server.ts';
import { newNonce, requestCredential } from '../../app/credentials/issuance.service.server.ts';
import { runIssuance } from '../../app/credentials/issuance-batch.server.ts';
import { myNumberCard } from '../../app/credentials/doctypes.ts';
import { createClient, linkDevice } from './app-api.ts';
import { giveCard, keyProof, newDevice, withIssuerFolder } from './credentials.ts';
import { routeContext } from './routes.ts';

/**
 * Credentials issued to a resident through the real issuance path (decision 0059): a card on
 * record, an app client linked to the resident's device, one key proof per device key, the
 * credential request (its row is the issuance queue's) and the worker's work run here. Used by the
 * revocation tests and the e2e credential pages; never raw SQL.
 */
export async function issueCredentials(
  db: Db,
  boss: PgBoss,
  secrets: Secrets,
  residentId: string,
  options: { keys?: number; deviceName?: string | null } = {},
): Promise<{ clientId: string; credentialIds: string[] }> {
  const context = withIssuerFolder(routeContext(db, boss));
  const env = context.env;
  await giveCard(db, residentId);
  const clientId = await createClient(db, 'wallet');
  await linkDevice(db, secrets, clientId, residentId, options.deviceName ?? 'Pixel 9');
  const link = await db
    .selectFrom('appLink')
    .select('id')
    .where('residentId', '=', residentId)
    .where('clientId', '=', clientId)
    .where('endedAt', 'is', null)
    .executeTakeFirstOrThrow();
  const proofs: string[] = [];
  for (let i = 0; i < (options.keys ?? 1); i++) {
    const { nonce } = newNonce(nonceKey(secrets));
    proofs.push(await keyProof(newDevice(), { aud: env.publicOrigin, nonce }));
  }
  const accepted = await requestCredential(
    { db, credentialIssuer: env.publicOrigin, nonceKey: nonceKey(secrets) },
    { linkId: link.id, clientId, residentId, ip: null },
    { credential_configuration_id: myNumberCard.configurationId, proofs: { jwt: proofs } },
  );
  await runIssuance(
    { db, keys: await issuerKeys(env), maxValidityDays: 90, publicOrigin: env.publicOrigin },
    { residentId, requestId: accepted.requestId },
  );
  const rows = await db
    .selectFrom('issuedCredential')
    .select('id')
    .where('residentId', '=', residentId)
    .where('requestId', '=', accepted.requestId)
    .orderBy('statusIndex')
    .execute();
  return { clientId, credentialIds: rows.map((r) => r.id) };
}

/** The resident's credentials as stored: revocation and who revoked. */
export function revocationsOf(db: Db, residentId: string) {
  return db
    .selectFrom('issuedCredential')
    .select(['id', 'revokedAt', 'revokedBy', 'revokedReason', 'revokedNote'])
    .where('residentId', '=', residentId)
    .orderBy('statusIndex')
    .execute();
}

/** Notices addressed to the resident alone, and whether each has its push job. */
export async function noticesTo(db: Db, residentId: string) {
  return db
    .selectFrom('noticeRecipient as r')
    .innerJoin('notice as n', 'n.id', 'r.noticeId')
    .select(['n.id', 'n.titleJa', 'n.titleEn', 'n.bodyJa', 'n.bodyEn', 'n.idempotencyKey'])
    .where('r.residentId', '=', residentId)
    .orderBy('n.createdAt')
    .execute();
}

/** Whether a push plan job was sent for the notice (the fan-out to the resident's devices). */
export async function pushPlannedFor(db: Db, noticeId: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pgboss.job
    where name = 'push.plan' and data->>'noticeId' = ${noticeId}`.execute(db);
  return (rows[0]?.n ?? 0) > 0;
}
