/**
 * Every query of app clients, account links, authorization codes and SSO tickets. The first
 * argument is the database or the caller's transaction.
 */
import type { Selectable, Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type {
  AppAuthorizationCodeTable,
  AppClientTable,
  AppLinkTable,
  Database,
  LinkEndReason,
  SsoTicketTable,
} from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

export type AppClientRow = Selectable<AppClientTable>;
type AppLinkRow = Selectable<AppLinkTable>;
export type AuthorizationCodeRow = Selectable<AppAuthorizationCodeTable>;
type SsoTicketRow = Selectable<SsoTicketTable>;

// ---- Clients ------------------------------------------------------------------------------

export function findClientById(db: Conn, clientId: string): Promise<AppClientRow | undefined> {
  return db.selectFrom('appClient').selectAll().where('id', '=', clientId).executeTakeFirst();
}

/** Every client with its number of live links. */
export function findClientsWithLiveLinks(db: Conn) {
  return db
    .selectFrom('appClient as c')
    .select((eb) => [
      'c.id',
      'c.name',
      'c.redirectUris',
      'c.disabledAt',
      eb
        .selectFrom('appLink as l')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('l.clientId', '=', 'c.id')
        .where('l.endedAt', 'is', null)
        .as('liveLinks'),
    ])
    .orderBy('c.id')
    .execute();
}

/** Registers a client, or renames it and replaces its redirect URIs. */
export async function upsertClient(
  db: Conn,
  client: { id: string; name: string; redirectUris: string[]; createdBy: string | null },
): Promise<void> {
  await db
    .insertInto('appClient')
    .values(client)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ name: client.name, redirectUris: client.redirectUris }),
    )
    .execute();
}

/** Sets or clears disabled_at if it is not already so; whether it changed. */
export async function updateClientDisabled(
  db: Conn,
  clientId: string,
  disabledAt: Date | null,
): Promise<boolean> {
  const result = await db
    .updateTable('appClient')
    .set({ disabledAt })
    .where('id', '=', clientId)
    .where('disabledAt', disabledAt ? 'is' : 'is not', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// ---- Links --------------------------------------------------------------------------------

export function insertLink(
  db: Conn,
  link: { residentId: string; clientId: string; deviceName: string | null; lastUsedAt: Date },
) {
  return db
    .insertInto('appLink')
    .values(link)
    .returning(['id', 'clientId', 'residentId'])
    .executeTakeFirstOrThrow();
}

/**
 * Ends one link, or the resident's live link with a client, if not ended already; the ids of
 * the links it ended.
 */
export async function updateLinksEnded(
  trx: Transaction<Database>,
  which: { linkId: string } | { residentId: string; clientId: string },
  reason: LinkEndReason,
  now: Date,
): Promise<string[]> {
  let update = trx
    .updateTable('appLink')
    .set({ endedAt: now, endReason: reason })
    .where('endedAt', 'is', null);
  update =
    'linkId' in which
      ? update.where('id', '=', which.linkId)
      : update.where('residentId', '=', which.residentId).where('clientId', '=', which.clientId);
  return (await update.returning('id').execute()).map((r) => r.id);
}

/** The resident's live links (one per client) with the client's name, oldest first. */
export function findLiveLinksOfResident(db: Conn, residentId: string, clientId?: string) {
  return db
    .selectFrom('appLink as l')
    .innerJoin('appClient as c', 'c.id', 'l.clientId')
    .select(['l.id', 'l.deviceName', 'l.createdAt', 'l.lastUsedAt', 'c.name as clientName'])
    .where('l.residentId', '=', residentId)
    .where('l.endedAt', 'is', null)
    .$if(clientId !== undefined, (q) => q.where('l.clientId', '=', clientId!))
    .orderBy('l.createdAt')
    .orderBy('l.id')
    .execute();
}

export function findLinkById(db: Conn, linkId: string): Promise<AppLinkRow | undefined> {
  return db.selectFrom('appLink').selectAll().where('id', '=', linkId).executeTakeFirst();
}

// ---- Authorization codes ------------------------------------------------------------------

export async function insertAuthorizationCode(
  db: Conn,
  code: Omit<AuthorizationCodeRow, 'createdAt' | 'usedAt'>,
): Promise<void> {
  await db.insertInto('appAuthorizationCode').values(code).execute();
}

/** Marks the code used, once; its row, or undefined when unknown or used before. */
export function markAuthorizationCodeUsed(
  db: Conn,
  codeHash: Buffer,
  now: Date,
): Promise<AuthorizationCodeRow | undefined> {
  return db
    .updateTable('appAuthorizationCode')
    .set({ usedAt: now })
    .where('codeHash', '=', codeHash)
    .where('usedAt', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

// ---- SSO tickets --------------------------------------------------------------------------

export async function insertSsoTicket(
  db: Conn,
  ticket: Omit<SsoTicketRow, 'createdAt' | 'usedAt'>,
): Promise<void> {
  await db.insertInto('ssoTicket').values(ticket).execute();
}

/** A ticket, with whether its link still stands and its client is enabled. */
export function findSsoTicket(db: Conn, ticketHash: Buffer) {
  return db
    .selectFrom('ssoTicket as t')
    .selectAll('t')
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('appLink as l')
            .innerJoin('appClient as c', 'c.id', 'l.clientId')
            .select('l.id')
            .whereRef('l.residentId', '=', 't.residentId')
            .whereRef('l.id', '=', 't.linkId')
            .where('l.endedAt', 'is', null)
            .where('c.disabledAt', 'is', null),
        )
        .as('linkLive'),
    )
    .where('t.ticketHash', '=', ticketHash)
    .executeTakeFirst();
}

/** Marks the ticket used, once; false when someone used it first. */
export async function markSsoTicketUsed(db: Conn, ticketHash: Buffer, now: Date): Promise<boolean> {
  const claimed = await db
    .updateTable('ssoTicket')
    .set({ usedAt: now })
    .where('ticketHash', '=', ticketHash)
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  return claimed.numUpdatedRows > 0n;
}
