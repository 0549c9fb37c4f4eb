/**
 * The audit domain's types and pure helpers. No server imports: staff pages may format
 * records in the browser too.
 */
import { BIDI_CONTROLS } from '../ui/user-text.ts';
import { csvText } from '../csv/csv-write.ts';
import { tokyoIsoString } from '../i18n/dates.ts';

export const ACTOR_TYPES = ['resident', 'proxy', 'staff', 'app', 'system', 'anonymous'] as const;
export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
/** `domain.verb`, lower case, at least two parts: 'auth.sign_in', 'letter.issue'. */
export const AUDIT_ACTION = /^[a-z_]+(\.[a-z_]+)+$/;

export type ActorType = (typeof ACTOR_TYPES)[number];
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** What a caller records. The database adds id, time, sequence and hashes. */
export type AuditEntry = {
  actorType: ActorType;
  actorId?: string | null;
  /** The resident a proxy or staff member acted for. */
  onBehalfOfResidentId?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome: AuditOutcome;
  ip?: string | null;
  details?: Record<string, unknown>;
};

/**
 * Who did something and from where. The guards build it from the session (resident, proxy or
 * staff); a service that changes something takes it and writes its entry in its transaction.
 */
export type AuditActor = {
  actorType: ActorType;
  actorId: string | null;
  onBehalfOfResidentId: string | null;
  ip: string | null;
};

export type AuditRecord = {
  /** Opaque: identity values are drawn before the chain lock, so they may skip and reorder. */
  id: string;
  /** Gap-free position in the chain, the order to read and verify in. */
  seq: number;
  occurredAt: Date;
  actorType: ActorType;
  actorId: string | null;
  onBehalfOfResidentId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  details: Record<string, unknown>;
  /** Hex SHA-256 of the previous row (`00` before the first). */
  prevHash: string;
  hash: string;
};

export type AuditFilter = {
  actorType?: ActorType;
  actorId?: string;
  /** A prefix: 'auth.' matches 'auth.sign_in' and 'auth.sign_out'. */
  action?: string;
  /** Inclusive lower bound of occurredAt. */
  from?: Date;
  /** Exclusive upper bound of occurredAt. */
  to?: Date;
  onBehalfOfResidentId?: string;
  outcome?: AuditOutcome;
  /** Keyset pagination: records older than this one (pass the last record of a page). */
  before?: { seq: number };
  limit?: number;
};

const CSV_COLUMNS: [string, (r: AuditRecord) => string][] = [
  ['seq', (r) => String(r.seq)],
  ['id', (r) => r.id],
  ['occurred_at', (r) => tokyoIsoString(r.occurredAt)],
  ['actor_type', (r) => r.actorType],
  ['actor_id', (r) => r.actorId ?? ''],
  ['on_behalf_of_resident_id', (r) => r.onBehalfOfResidentId ?? ''],
  ['action', (r) => r.action],
  ['target_type', (r) => r.targetType ?? ''],
  ['target_id', (r) => r.targetId ?? ''],
  ['outcome', (r) => r.outcome],
  ['ip', (r) => r.ip ?? ''],
  // Bidirectional controls as JSON escapes: the same JSON value, nothing reordered on screen.
  ['details', (r) => jsonWithBidiEscaped(r.details)],
  ['prev_hash', (r) => r.prevHash],
  ['hash', (r) => r.hash],
];

/**
 * Audit records as CSV for staff to open in Excel: a UTF-8 BOM (without it Excel reads
 * Japanese as Shift_JIS mojibake), RFC 4180 quoting and CRLF line ends; bidirectional controls
 * in typed text are shown as codes (app/ui/user-text.ts).
 */
/** The export's column names (machine names; the page translates them for its header). */
export const auditCsvColumns: readonly string[] = CSV_COLUMNS.map(([name]) => name);

/** One record as the export's cells, in auditCsvColumns' order. */
export const auditCsvRow = (r: AuditRecord): string[] => CSV_COLUMNS.map(([, value]) => value(r));

export function auditCsv(records: readonly AuditRecord[]): string {
  return csvText([auditCsvColumns, ...records.map(auditCsvRow)]);
}

const jsonWithBidiEscaped = (value: unknown) =>
  JSON.stringify(value).replace(
    BIDI_CONTROLS,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
