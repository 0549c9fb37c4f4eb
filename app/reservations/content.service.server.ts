/**
 * The booking site's editable texts (decision 0050): staff save versions of a piece in one
 * language and publish one of them; residents read the published one. Every save and every
 * publication is recorded in its transaction. A preview stores nothing: it is only rendered.
 */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AuditActor, AuditEntry } from '../audit/audit.ts';
import { locales, type Locale } from '../i18n/locales.ts';
import { CONTENT_PIECES, type ContentState, type ContentVersion } from './content.ts';
import {
  findContentStates,
  findLatestVersion,
  findPublishedBody,
  findVersions,
  insertVersion,
  lockContentPiece,
  publishVersion,
  type ContentKey,
} from './content.repository.server.ts';

/** A staff member and their city, as clerkOf (app/targets/staff-clerk.server.ts) gives them. */
type Clerk = { municipalityCode: string; actor: AuditActor & { actorId: string } };
type Piece = Omit<ContentKey, 'municipalityCode'>;

export const HISTORY_LIMIT = 50;

/** Line ends as the textarea sends them (CRLF) or as typed elsewhere: stored as LF. */
const normalizeBody = (body: string) => body.replace(/\r\n?/g, '\n').trim();

export type SaveOutcome = { outcome: 'saved' | 'unchanged'; version: number };

/** Keeps `body` as a new version, unless it is the latest version's text already. */
export async function saveContent(db: Db, clerk: Clerk, piece: Piece, body: string) {
  return db.transaction().execute((trx) => saveInTransaction(trx, clerk, piece, body));
}

/**
 * Saves `body` (when it differs from the latest version) and makes that version the one
 * residents see, in one transaction: what was previewed is exactly what is published.
 */
export async function publishContent(db: Db, clerk: Clerk, piece: Piece, body: string) {
  return db.transaction().execute(async (trx) => {
    const { version } = await saveInTransaction(trx, clerk, piece, body);
    await publishVersion(
      trx,
      { municipalityCode: clerk.municipalityCode, ...piece },
      version,
      clerk.actor.actorId,
    );
    await recordAudit(trx, auditEntry(clerk, piece, 'publish', { version }));
    return { version };
  });
}

async function saveInTransaction(
  trx: Transaction<Database>,
  clerk: Clerk,
  piece: Piece,
  body: string,
): Promise<SaveOutcome> {
  const key = { municipalityCode: clerk.municipalityCode, ...piece };
  await lockContentPiece(trx, key);
  const text = normalizeBody(body);
  const latest = await findLatestVersion(trx, key);
  if (latest && latest.body === text) return { outcome: 'unchanged', version: latest.version };
  const version = (latest?.version ?? 0) + 1;
  await insertVersion(trx, key, { version, body: text, createdBy: clerk.actor.actorId });
  await recordAudit(trx, auditEntry(clerk, piece, 'save', { version, characters: text.length }));
  return { outcome: 'saved', version };
}

const auditEntry = (
  clerk: Clerk,
  piece: Piece,
  verb: 'save' | 'publish',
  details: Record<string, unknown>,
): AuditEntry => ({
  ...clerk.actor,
  action: `booking_content.${verb}`,
  targetType: 'booking_content',
  targetId: `${piece.piece}/${piece.locale}`,
  outcome: 'success',
  details: { piece: piece.piece, locale: piece.locale, ...details },
});

/** What residents of the city see of a piece in a language; null while none is published. */
export async function publishedContent(db: Db, municipalityCode: string, piece: Piece) {
  const found = await findPublishedBody(db, { municipalityCode, ...piece });
  return found?.publishedAt
    ? { body: found.body, version: found.version, publishedAt: found.publishedAt }
    : null;
}

/** Every piece in every language, published or not, in menu order. */
export async function contentOverview(db: Db, municipalityCode: string): Promise<ContentState[]> {
  const rows = await findContentStates(db, municipalityCode);
  return CONTENT_PIECES.flatMap((piece) =>
    locales.map((locale: Locale): ContentState => {
      const row = rows.find((r) => r.piece === piece && r.locale === locale);
      return {
        piece,
        locale,
        latestVersion: row ? Number(row.latestVersion) : null,
        published:
          row?.publishedVersion != null && row.publishedAt
            ? {
                version: row.publishedVersion,
                byName: row.publishedByName ?? '',
                at: row.publishedAt,
              }
            : null,
      };
    }),
  );
}

/** The versions of a piece in one language, newest first (at most HISTORY_LIMIT). */
export async function contentHistory(
  db: Db,
  municipalityCode: string,
  piece: Piece,
): Promise<ContentVersion[]> {
  const rows = await findVersions(db, { municipalityCode, ...piece }, HISTORY_LIMIT);
  return rows.map((r) => ({ ...r, publishedByName: r.publishedByName ?? null }));
}
