/**
 * Queries of the booking site's texts (migration 0031). The first argument is the database or
 * the caller's transaction; every query is within one city.
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { Locale } from '../i18n/locales.ts';
import type { ContentPiece } from './content.ts';

type Conn = Db | Transaction<Database>;
export type ContentKey = { municipalityCode: string; piece: ContentPiece; locale: Locale };

/**
 * Saves stay in order per piece and language: two clerks saving at once would otherwise pick
 * the same next number. Held until the transaction ends.
 */
export async function lockContentPiece(trx: Transaction<Database>, key: ContentKey) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`booking_content:${key.municipalityCode}:${key.piece}:${key.locale}`}, 0))`.execute(
    trx,
  );
}

export function findLatestVersion(db: Conn, key: ContentKey) {
  return db
    .selectFrom('bookingContentVersion')
    .select(['version', 'body'])
    .where('municipalityCode', '=', key.municipalityCode)
    .where('piece', '=', key.piece)
    .where('locale', '=', key.locale)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertVersion(
  trx: Transaction<Database>,
  key: ContentKey,
  row: { version: number; body: string; createdBy: string },
) {
  await trx
    .insertInto('bookingContentVersion')
    .values({ ...key, ...row })
    .execute();
}

/** Makes `version` the published one; its row keeps who first published it and when. */
export async function publishVersion(
  trx: Transaction<Database>,
  key: ContentKey,
  version: number,
  publishedBy: string,
) {
  await trx
    .updateTable('bookingContentVersion')
    .set({ publishedBy, publishedAt: sql<Date>`now()` })
    .where('municipalityCode', '=', key.municipalityCode)
    .where('piece', '=', key.piece)
    .where('locale', '=', key.locale)
    .where('version', '=', version)
    .where('publishedAt', 'is', null)
    .execute();
  await trx
    .insertInto('bookingContentPublished')
    .values({ ...key, version, publishedBy })
    .onConflict((oc) =>
      oc.columns(['municipalityCode', 'piece', 'locale']).doUpdateSet({
        version,
        publishedBy,
        publishedAt: sql<Date>`now()`,
      }),
    )
    .execute();
}

/** Versions beside the published version of their piece and language (if any). */
function versionsBesidePublished(db: Conn) {
  return db
    .selectFrom('bookingContentVersion as v')
    .leftJoin('bookingContentPublished as p', (join) =>
      join
        .onRef('p.municipalityCode', '=', 'v.municipalityCode')
        .onRef('p.piece', '=', 'v.piece')
        .onRef('p.locale', '=', 'v.locale'),
    );
}

/** The body residents see, or undefined while none is published. */
export function findPublishedBody(db: Conn, key: ContentKey) {
  return versionsBesidePublished(db)
    .select(['v.version', 'v.body', 'p.publishedAt'])
    .whereRef('p.version', '=', 'v.version')
    .where('v.municipalityCode', '=', key.municipalityCode)
    .where('v.piece', '=', key.piece)
    .where('v.locale', '=', key.locale)
    .executeTakeFirst();
}

/** Per piece and language that has any version: the latest number and the published one. */
export function findContentStates(db: Conn, municipalityCode: string) {
  return versionsBesidePublished(db)
    .leftJoin('account as a', 'a.id', 'p.publishedBy')
    .select((eb) => [
      'v.piece',
      'v.locale',
      eb.fn.max('v.version').as('latestVersion'),
      'p.version as publishedVersion',
      'p.publishedAt',
      'a.displayName as publishedByName',
    ])
    .where('v.municipalityCode', '=', municipalityCode)
    .groupBy(['v.piece', 'v.locale', 'p.version', 'p.publishedAt', 'a.displayName'])
    .execute();
}

/** Every version of a piece in one language, newest first, with who saved and published it. */
export function findVersions(db: Conn, key: ContentKey, limit: number) {
  return db
    .selectFrom('bookingContentVersion as v')
    .innerJoin('account as c', 'c.id', 'v.createdBy')
    .leftJoin('account as pb', 'pb.id', 'v.publishedBy')
    .select([
      'v.version',
      'v.body',
      'v.createdAt',
      'c.displayName as createdByName',
      'v.publishedAt',
      'pb.displayName as publishedByName',
    ])
    .where('v.municipalityCode', '=', key.municipalityCode)
    .where('v.piece', '=', key.piece)
    .where('v.locale', '=', key.locale)
    .orderBy('v.version', 'desc')
    .limit(limit)
    .execute();
}
