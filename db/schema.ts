import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

/**
 * The Database interface: one entry per table, camelCase columns (CamelCasePlugin maps them
 * to snake_case). Migrations never import this file; it describes their result.
 */
export interface Database {
  appMeta: AppMetaTable;
  resident: ResidentTable;
  account: AccountTable;
  passkey: PasskeyTable;
  staffGroup: StaffGroupTable;
  staffGroupPermission: StaffGroupPermissionTable;
  staffMembership: StaffMembershipTable;
  staffInvitation: StaffInvitationTable;
  session: SessionTable;
  webauthnChallenge: WebauthnChallengeTable;
  letter: LetterTable;
  throttle: ThrottleTable;
  proxyGrant: ProxyGrantTable;
  auditLog: AuditLogTable;
  auditChainHead: AuditChainHeadTable;
  notice: NoticeTable;
  noticeRecipient: NoticeRecipientTable;
  noticeRead: NoticeReadTable;
  todo: TodoTable;
  insuranceQualification: InsuranceQualificationTable;
  appClient: AppClientTable;
  appLink: AppLinkTable;
  appAuthorizationCode: AppAuthorizationCodeTable;
  appRefreshToken: AppRefreshTokenTable;
  pushRegistration: PushRegistrationTable;
  ssoTicket: SsoTicketTable;
  pushCampaign: PushCampaignTable;
  pushBatch: PushBatchTable;
  pushFailure: PushFailureTable;
  pushDaily: PushDailyTable;
  pickupTransition: PickupTransitionTable;
  pickupTarget: PickupTargetTable;
  pickupHandover: PickupHandoverTable;
  pickupTargetMove: PickupTargetMoveTable;
  targetImport: TargetImportTable;
  targetImportRow: TargetImportRowTable;
  targetLetterBatch: TargetLetterBatchTable;
  bookingSession: BookingSessionTable;
  targetImportProblem: TargetImportProblemTable;
  renewalImport: RenewalImportTable;
  renewalTarget: RenewalTargetTable;
  facility: FacilityTable;
  facilityHours: FacilityHoursTable;
  bookingClosedDay: BookingClosedDayTable;
  bookingSlot: BookingSlotTable;
  bookingWeek: BookingWeekTable;
  bookingRule: BookingRuleTable;
  booking: BookingTable;
  bookingMember: BookingMemberTable;
  bookingWaitlist: BookingWaitlistTable;
  bookingRenewalMember: BookingRenewalMemberTable;
  mailMessage: MailMessageTable;
  bookingContentVersion: BookingContentVersionTable;
  bookingContentPublished: BookingContentPublishedTable;
  residentCard: ResidentCardTable;
  residentRegisterEnd: ResidentRegisterEndTable;
  credentialNonce: CredentialNonceTable;
  credentialStatusList: CredentialStatusListTable;
  credentialIssuanceRequest: CredentialIssuanceRequestTable;
  issuedCredential: IssuedCredentialTable;
  maintenanceWindow: MaintenanceWindowTable;
  browserErrorDay: BrowserErrorDayTable;
  pageViewDay: PageViewDayTable;
  operationRun: OperationRunTable;
  requestDay: RequestDayTable;
  operationsReport: OperationsReportTable;
}

/** A timestamptz column: read as Date, written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Bytes = ColumnType<Buffer, Buffer | Uint8Array, Buffer | Uint8Array>;

/** Small key/value facts about this installation (e.g. when demo data was seeded). */
interface AppMetaTable {
  key: string;
  value: unknown;
  updatedAt: DefaultTimestamp;
}

type Sex = 'male' | 'female' | 'unspecified';

export interface ResidentTable {
  id: Generated<string>;
  registerCode: string;
  name: string;
  /** The name as staff search compares it (異体字 folded; migration 0009, name-variants.ts). */
  nameSearch: GeneratedAlways<string>;
  nameKana: string;
  nameLatin: string | null;
  /** A calendar date (YYYY-MM-DD), read as a string so no time zone touches it. */
  birthDate: ColumnType<string, string, string>;
  sex: Sex;
  address: string;
  municipalityCode: string;
  municipalityName: string;
  cardManufactureNumber: string | null;
  createdAt: CreatedAt;
  updatedAt: DefaultTimestamp;
}

export type AccountKind = 'resident' | 'proxy' | 'staff';

interface AccountTable {
  id: Generated<string>;
  kind: AccountKind;
  residentId: string | null;
  displayName: string;
  email: string | null;
  /** Staff only: the language of the admin pages they last signed in on (migration 0046). */
  locale: ColumnType<'ja' | 'en' | null, 'ja' | 'en' | null | undefined, 'ja' | 'en' | null>;
  webauthnUserHandle: ColumnType<Buffer, Buffer | Uint8Array | undefined, never>;
  disabledAt: Timestamp | null;
  createdAt: CreatedAt;
}

export interface PasskeyTable {
  id: Generated<string>;
  accountId: string;
  credentialId: Bytes;
  publicKey: Bytes;
  counter: ColumnType<string, number | string, number | string>;
  transports: ColumnType<string[], string[] | undefined, string[]>;
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  name: string;
  createdAt: CreatedAt;
  lastUsedAt: Timestamp | null;
}

interface StaffGroupTable {
  id: Generated<string>;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  createdAt: CreatedAt;
}

interface StaffGroupPermissionTable {
  groupId: string;
  permission: string;
}

interface StaffMembershipTable {
  accountId: string;
  groupId: string;
}

export interface StaffInvitationTable {
  id: Generated<string>;
  tokenHash: Bytes;
  displayName: string;
  email: string;
  groupIds: ColumnType<string[], string[] | undefined, string[]>;
  createdBy: string | null;
  createdAt: CreatedAt;
  expiresAt: Timestamp;
  usedAt: Timestamp | null;
  accountId: string | null;
}

export interface SessionTable {
  id: Generated<string>;
  tokenHash: Bytes;
  accountId: string;
  actingForResidentId: string | null;
  proxyGrantId: string | null;
  createdAt: CreatedAt;
  lastSeenAt: DefaultTimestamp;
  idleExpiresAt: Timestamp;
  absoluteExpiresAt: Timestamp;
  ip: string | null;
  userAgent: string | null;
  revokedAt: Timestamp | null;
}

export interface WebauthnChallengeTable {
  id: Generated<string>;
  challenge: string;
  purpose: 'register' | 'authenticate';
  accountId: string | null;
  /** jsonb: pass objects; postgres.js serialises them (a JSON string would be stored as a string). */
  context: ColumnType<
    Record<string, unknown>,
    Record<string, unknown> | undefined,
    Record<string, unknown>
  >;
  createdAt: CreatedAt;
  expiresAt: Timestamp;
  usedAt: Timestamp | null;
}

export type LetterPurpose = 'first_access' | 'pickup' | 'renewal';

export interface LetterTable {
  id: Generated<string>;
  code: string;
  purpose: LetterPurpose;
  residentId: string;
  passwordHash: string;
  /** The password sealed with a server key until it is first used, so a letter can be reprinted. */
  passwordSealed: string | null;
  issuedBy: string | null;
  issuedAt: CreatedAt;
  expiresAt: Timestamp;
  usedAt: Timestamp | null;
  revokedAt: Timestamp | null;
  failedAttempts: ColumnType<number, number | undefined, number>;
  lockedUntil: Timestamp | null;
  idempotencyKey: string | null;
}

interface ThrottleTable {
  key: string;
  failures: ColumnType<number, number | undefined, number>;
  windowStartedAt: DefaultTimestamp;
  lockedUntil: Timestamp | null;
}

export interface ProxyGrantTable {
  id: Generated<string>;
  residentId: string;
  proxyAccountId: string | null;
  proxyName: string;
  scopes: string[];
  startsAt: Timestamp;
  endsAt: Timestamp;
  invitationTokenHash: Bytes | null;
  invitationExpiresAt: Timestamp | null;
  createdAt: CreatedAt;
  acceptedAt: Timestamp | null;
  revokedAt: Timestamp | null;
}

type ActorType = 'resident' | 'proxy' | 'staff' | 'app' | 'system' | 'anonymous';
type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditLogTable {
  id: ColumnType<string, never, never>;
  occurredAt: CreatedAt;
  actorType: ActorType;
  actorId: string | null;
  onBehalfOfResidentId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  /** Null until audit_seal() chains the row (docs/decisions/0032). */
  seq: ColumnType<string | null, never, never>;
  prevHash: ColumnType<Buffer | null, never, never>;
  hash: ColumnType<Buffer | null, never, never>;
}

export interface AuditChainHeadTable {
  singleton: boolean;
  lastSeq: string;
  lastHash: Buffer;
}

export type NoticeKind = 'broadcast' | 'targeted';
export type NoticeAudience = 'all' | 'municipality' | 'list';

export interface NoticeTable {
  id: Generated<string>;
  kind: NoticeKind;
  audience: NoticeAudience;
  municipalityCode: string | null;
  sender: string;
  titleJa: string | null;
  titleEn: string | null;
  bodyJa: string | null;
  bodyEn: string | null;
  publishAt: Timestamp;
  expiresAt: Timestamp | null;
  withdrawnAt: Timestamp | null;
  audienceSize: number | null;
  createdBy: string | null;
  createdAt: CreatedAt;
  idempotencyKey: string | null;
  /** Whether its push goes to registrations made by apps too (false: browsers only). */
  pushApps: Generated<boolean>;
}

interface NoticeRecipientTable {
  residentId: string;
  noticeId: string;
  publishAt: Timestamp;
}

interface NoticeReadTable {
  residentId: string;
  noticeId: string;
  firstOpenedAt: DefaultTimestamp;
}

type TodoStatus = 'open' | 'done' | 'dismissed';

interface TodoTable {
  id: Generated<string>;
  residentId: string;
  titleJa: string | null;
  titleEn: string | null;
  descriptionJa: string | null;
  descriptionEn: string | null;
  dueDate: ColumnType<string | null, string | null | undefined, string | null>;
  actionUrl: string | null;
  status: ColumnType<TodoStatus, TodoStatus | undefined, TodoStatus>;
  source: 'staff' | 'system';
  kind: string | null;
  createdBy: string | null;
  createdAt: CreatedAt;
  statusChangedAt: Timestamp | null;
  idempotencyKey: string | null;
}

interface InsuranceQualificationTable {
  residentId: string;
  insurerNumber: string;
  insurerName: string;
  symbol: string;
  number: string;
  branch: string | null;
  qualifiedFrom: ColumnType<string, string, string>;
  qualifiedUntil: ColumnType<string | null, string | null | undefined, string | null>;
  copaymentPercent: 10 | 20 | 30;
  updatedAt: DefaultTimestamp;
}

export interface AppClientTable {
  id: string;
  name: string;
  redirectUris: string[];
  createdBy: string | null;
  createdAt: CreatedAt;
  disabledAt: Timestamp | null;
}

export type LinkEndReason =
  'replaced' | 'app_unlinked' | 'resident_unlinked' | 'token_reuse' | 'client_disabled';

export interface AppLinkTable {
  id: Generated<string>;
  residentId: string;
  clientId: string;
  deviceName: string | null;
  createdAt: CreatedAt;
  lastUsedAt: Timestamp | null;
  endedAt: Timestamp | null;
  endReason: LinkEndReason | null;
}

export interface AppAuthorizationCodeTable {
  codeHash: Bytes;
  clientId: string;
  residentId: string;
  redirectUri: string;
  codeChallenge: string;
  deviceName: string | null;
  createdAt: CreatedAt;
  expiresAt: Timestamp;
  usedAt: Timestamp | null;
}

export interface AppRefreshTokenTable {
  /** The resident of its link (migration 0018: resident-owned rows lead with resident_id). */
  residentId: string;
  tokenHash: Bytes;
  familyId: string;
  linkId: string;
  issuedAt: CreatedAt;
  expiresAt: Timestamp;
  rotatedAt: Timestamp | null;
  revokedAt: Timestamp | null;
  /** SHA-256 of the opaque access token issued with this refresh token (migration 0017). */
  accessHash: Bytes | null;
  accessExpiresAt: Timestamp | null;
}

export type PushChannel = 'fcm' | 'apns' | 'webpush';

export interface PushRegistrationTable {
  id: Generated<string>;
  residentId: string;
  linkId: string | null;
  channel: PushChannel;
  token: string;
  p256dh: string | null;
  auth: string | null;
  locale: ColumnType<'ja' | 'en', 'ja' | 'en' | undefined, 'ja' | 'en'>;
  createdAt: CreatedAt;
  deactivatedAt: Timestamp | null;
  deactivationReason: string | null;
}

export interface SsoTicketTable {
  ticketHash: Bytes;
  residentId: string;
  clientId: string;
  /** The app link that asked for the ticket (migration 0017); null for older tickets. */
  linkId: ColumnType<string | null, string | null | undefined, string | null>;
  path: string;
  createdAt: CreatedAt;
  expiresAt: Timestamp;
  usedAt: Timestamp | null;
}

export type PushCampaignState = 'running' | 'paused' | 'cancelled' | 'done';

export interface PushCampaignTable {
  id: Generated<string>;
  noticeId: string;
  scope: 'broadcast' | 'targeted';
  state: ColumnType<PushCampaignState, PushCampaignState | undefined, PushCampaignState>;
  windowStart: Timestamp;
  windowEnd: Timestamp;
  quietStart: number | null;
  quietEnd: number | null;
  devices: number;
  batches: number;
  createdAt: CreatedAt;
  updatedAt: DefaultTimestamp;
  finishedAt: Timestamp | null;
}

type PushBatchState = 'pending' | 'done' | 'cancelled';

export interface PushBatchTable {
  campaignId: string;
  seq: number;
  lo: string;
  hi: string;
  cursor: string;
  dueAt: Timestamp;
  state: ColumnType<PushBatchState, PushBatchState | undefined, PushBatchState>;
  sent: ColumnType<number, number | undefined, number>;
  failed: ColumnType<number, number | undefined, number>;
  deactivated: ColumnType<number, number | undefined, number>;
  startedAt: Timestamp | null;
  doneAt: Timestamp | null;
}

export interface PushFailureTable {
  id: Generated<string>;
  /** The resident of its registration (migration 0018). */
  residentId: string;
  campaignId: string;
  registrationId: string;
  channel: PushChannel;
  class: 'permanent' | 'retry-exhausted' | 'error';
  status: number | null;
  detail: string | null;
  createdAt: CreatedAt;
}

interface PushDailyTable {
  noticeId: string;
  day: string;
  sent: ColumnType<string, number | string | undefined, number | string>;
  failed: ColumnType<string, number | string | undefined, number | string>;
  deactivated: ColumnType<string, number | string | undefined, number | string>;
}

/** The moves a card-pickup target may make (migration 20261202_0019; app/targets/target.ts). */
interface PickupTransitionTable {
  fromState: string;
  toState: string;
}

/** A person on the city's card-issuance list (交付対象者), keyed by the city. */
interface PickupTargetTable {
  municipalityCode: string;
  id: Generated<string>;
  applicationId: string;
  manufactureNo: string;
  name: string;
  nameKana: string | null;
  /** YYYY-MM-DD (a date column, read as text). */
  birthDate: ColumnType<string, string, string>;
  sex: 'male' | 'female' | 'other' | 'unknown';
  postalCode: string | null;
  address: string;
  state: ColumnType<
    'imported' | 'setup_done' | 'letter_printed' | 'booked' | 'issued' | 'cancelled' | 'reissued',
    'imported' | undefined,
    'setup_done' | 'letter_printed' | 'booked' | 'issued' | 'cancelled' | 'reissued' | 'imported'
  >;
  stateChangedAt: DefaultTimestamp;
  createdAt: CreatedAt;
  /** When the target last entered each state (a trigger stamps them; migration 20261202_0028). */
  setupDoneAt: StateTime;
  letterPrintedAt: StateTime;
  bookedAt: StateTime;
  issuedAt: StateTime;
  cancelledAt: StateTime;
  reissuedAt: StateTime;
  /** The import that last wrote this target. */
  importId: string | null;
  /** The name as search compares it (NFKC, no spaces, 異体字 folded): generated. */
  nameSearch: GeneratedAlways<string>;
  /** The kana without spaces, hiragana as katakana: generated. */
  kanaSearch: GeneratedAlways<string>;
  /** 10 digits, the last a check digit; unique across cities. */
  reservationId: string | null;
  passwordHash: string | null;
  /** The password sealed for reprinting the same letter (never shown anywhere else). */
  passwordSealed: string | null;
  /** Bumped by a reissue: QR codes carry it, so older ones are refused. */
  credentialsVersion: ColumnType<number, number | undefined, number>;
  credentialsIssuedAt: Timestamp | null;
  updatedAt: DefaultTimestamp;
}

/** One change of a target's state, written by a trigger (migration 20261202_0025). */
interface PickupTargetMoveTable {
  municipalityCode: string;
  targetId: string;
  id: ColumnType<string, never, never>;
  fromState: string;
  toState: string;
  movedAt: ColumnType<Date, never, never>;
  movedBy: ColumnType<string | null, never, never>;
  reason: ColumnType<string | null, never, never>;
}
/** Written by the database only. */
type StateTime = ColumnType<Date | null, never, never>;

/** A card handed over at the counter: one row per target and card. */
interface PickupHandoverTable {
  municipalityCode: string;
  targetId: string;
  manufactureNo: string;
  issuedAt: Timestamp;
  issuedBy: string;
  identityDocuments: string[];
  faceCheck: 'matched' | 'not_matched';
  userCertificate: boolean;
  signingCertificate: boolean;
  pinSetup: boolean;
  createdAt: CreatedAt;
}

/** An uploaded card-issuance list: staged, then confirmed once (migration 20261202_0020). */
interface TargetImportTable {
  municipalityCode: string;
  id: Generated<string>;
  fileName: string;
  fileSha256: Bytes;
  encoding: 'utf-8' | 'shift_jis';
  /** staging (the job reads the file) → staged | failed; staged → confirmed | discarded. */
  state: ColumnType<ImportState, ImportState | undefined, ImportState>;
  /** Records read (good and refused), once staged. */
  lineCount: number | null;
  /** The uploaded file, kept only while the job stages it (migration 0024). */
  fileBytes: Bytes | null;
  /** Lines of the file after its header, and how many the job has read so far. */
  linesTotal: ColumnType<number, number | undefined, number>;
  linesRead: ColumnType<number, number | undefined, number>;
  rowsCount: number | null;
  rejectedCount: number | null;
  /** Why the job could not stage the file (a code the page says in words). */
  failure: string | null;
  stagedAt: Timestamp | null;
  createdBy: string;
  createdAt: CreatedAt;
  confirmedBy: string | null;
  confirmedAt: Timestamp | null;
  newCount: number | null;
  updatedCount: number | null;
  unchangedCount: number | null;
}

type ImportState = 'staging' | 'staged' | 'failed' | 'confirmed' | 'discarded';

/** A refused line of an import, as app/targets/target-csv.ts names the problem. */
interface TargetImportProblemTable {
  municipalityCode: string;
  importId: string;
  line: number;
  problem: ColumnType<unknown, string, string>;
}

/** One good line of an import, waiting for the confirmation. */
interface TargetImportRowTable {
  municipalityCode: string;
  importId: string;
  line: number;
  applicationId: string;
  manufactureNo: string;
  name: string;
  nameKana: string | null;
  birthDate: ColumnType<string, string, string>;
  sex: string;
  postalCode: string | null;
  address: string;
}

/** The targets one print run of reservation letters chose (migration 20261202_0026). */
interface TargetLetterBatchTable {
  municipalityCode: string;
  id: Generated<string>;
  targetIds: string[];
  filter: ColumnType<unknown, string, string>;
  createdBy: string;
  createdAt: CreatedAt;
}

/** A resident signed in to the booking site with a letter's credentials (not the portal's). */
interface BookingSessionTable {
  id: Generated<string>;
  tokenHash: Bytes;
  municipalityCode: string;
  /** Exactly one of targetId (a pickup target) and renewalTargetId (migration 20261203_0033). */
  targetId: string | null;
  renewalTargetId: ColumnType<string | null, string | null | undefined, string | null>;
  credentialsVersion: number;
  via: 'password' | 'qr' | 'portal';
  createdAt: CreatedAt;
  lastSeenAt: DefaultTimestamp;
  idleExpiresAt: Timestamp;
  absoluteExpiresAt: Timestamp;
  endedAt: Timestamp | null;
}

/** An uploaded renewal list: staged with its parsed rows, then confirmed once (migration 0027). */
interface RenewalImportTable {
  municipalityCode: string;
  id: Generated<string>;
  fileName: string;
  fileSha256: Bytes;
  encoding: 'utf-8' | 'shift_jis';
  state: ColumnType<'staged' | 'confirmed', undefined, 'confirmed'>;
  lineCount: number;
  /** The refused lines, as app/targets/renewal-csv.ts names them. */
  problems: ColumnType<unknown, string, string>;
  /** The good lines, parsed, waiting for the confirmation. */
  rows: ColumnType<unknown, string, string>;
  createdBy: string;
  createdAt: CreatedAt;
  confirmedBy: string | null;
  confirmedAt: Timestamp | null;
  newCount: number | null;
  updatedCount: number | null;
  unchangedCount: number | null;
}

/** A person due to renew the card's e-certificates (電子証明書更新対象者), keyed by the city. */
interface RenewalTargetTable {
  municipalityCode: string;
  id: Generated<string>;
  /** 住民票コード: 11 digits, the last a check digit (checked by the database too). */
  residentRegisterCode: string;
  name: string;
  nameKana: string | null;
  /** YYYY-MM-DD (a date column, read as text). */
  birthDate: ColumnType<string, string, string>;
  address: string;
  /** 通知番号 of the renewal notice. */
  noticeNumber: string;
  certificateExpiresOn: ColumnType<string | null, string | null | undefined, string | null>;
  state: ColumnType<'active' | 'renewed' | 'cleared', 'active' | undefined, 'renewed' | 'cleared'>;
  clearReason: 'moved_out' | 'died' | null;
  clearNote: string | null;
  origin: 'import' | 'manual';
  importId: string | null;
  createdBy: string;
  createdAt: CreatedAt;
  updatedBy: string | null;
  updatedAt: Timestamp | null;
  renewedBy: string | null;
  renewedAt: Timestamp | null;
  clearedBy: string | null;
  clearedAt: Timestamp | null;
  nameSearch: GeneratedAlways<string>;
  kanaSearch: GeneratedAlways<string>;
  /** Reservation credentials as pickup targets have them (migration 20261203_0033). */
  reservationId: string | null;
  passwordHash: string | null;
  passwordSealed: string | null;
  credentialsVersion: ColumnType<number, number | undefined, number>;
  credentialsIssuedAt: Timestamp | null;
}

/** The kinds of appointment a facility takes and a booking is for (migration 20261203_0029). */
export type AppointmentKind = 'card_pickup' | 'cert_renewal';

/** A counter where residents collect cards or renew e-certificates, keyed by the city. */
interface FacilityTable {
  municipalityCode: string;
  id: Generated<string>;
  nameJa: string;
  nameEn: string;
  addressJa: ColumnType<string, string | undefined, string>;
  addressEn: ColumnType<string, string | undefined, string>;
  phone: ColumnType<string, string | undefined, string>;
  directionsJa: ColumnType<string, string | undefined, string>;
  directionsEn: ColumnType<string, string | undefined, string>;
  mapImage: Bytes | null;
  mapContentType: 'image/png' | 'image/jpeg' | 'image/webp' | null;
  kinds: AppointmentKind[];
  slotMinutes: ColumnType<number, number | undefined, number>;
  placesPerSlot: ColumnType<number, number | undefined, number>;
  archivedAt: Timestamp | null;
  createdAt: CreatedAt;
  updatedAt: DefaultTimestamp;
}

/** An opening span on an ISO weekday (1 = Monday); times read as 'HH:MM:SS'. */
interface FacilityHoursTable {
  municipalityCode: string;
  facilityId: string;
  weekday: number;
  opens: string;
  closes: string;
}

/** A day the city's counters are closed, besides national holidays. */
interface BookingClosedDayTable {
  municipalityCode: string;
  /** YYYY-MM-DD. */
  day: string;
  reasonJa: ColumnType<string, string | undefined, string>;
  reasonEn: ColumnType<string, string | undefined, string>;
  createdBy: string | null;
  createdAt: CreatedAt;
}

/** One bookable time at a facility: `taken` never exceeds `capacity` (a CHECK). */
interface BookingSlotTable {
  municipalityCode: string;
  id: Generated<string>;
  facilityId: string;
  startsAt: Timestamp;
  endsAt: Timestamp;
  capacity: number;
  taken: ColumnType<number, number | undefined, number>;
  closedAt: Timestamp | null;
  closedBy: string | null;
  closedMessage: string | null;
  createdAt: CreatedAt;
}

/** A week (its Monday) of one facility, visible to residents once published. */
interface BookingWeekTable {
  municipalityCode: string;
  facilityId: string;
  /** YYYY-MM-DD, a Monday. */
  weekStart: string;
  publishedAt: CreatedAt;
  publishedBy: string | null;
}

/** Booking rules per kind of appointment. */
interface BookingRuleTable {
  municipalityCode: string;
  kind: AppointmentKind;
  deadlineWorkingDays: ColumnType<number, number | undefined, number>;
  /** 'HH:MM:SS', Asia/Tokyo. */
  deadlineTime: ColumnType<string, string | undefined, string>;
  maxPeople: ColumnType<number, number | undefined, number>;
  horizonDays: ColumnType<number, number | undefined, number>;
  questions: ColumnType<unknown, string | undefined, string>;
  waitlistHoldHours: ColumnType<number, number | undefined, number>;
  updatedBy: string | null;
  updatedAt: DefaultTimestamp;
}

/** A booking of `places` places in one slot, holding one reservation ID per place. */
interface BookingTable {
  municipalityCode: string;
  id: Generated<string>;
  kind: AppointmentKind;
  slotId: string;
  places: number;
  status: ColumnType<'booked' | 'cancelled', 'booked' | undefined, 'cancelled'>;
  replacesId: string | null;
  /** Null only for a clerk's phone booking without an address (migration 0034). */
  email: string | null;
  phone: ColumnType<string, string | undefined, string>;
  locale: 'ja' | 'en';
  answers: ColumnType<Record<string, unknown>, string | undefined, string>;
  needs: ColumnType<BookingNeed[], BookingNeed[] | undefined, BookingNeed[]>;
  idempotencyKey: string;
  bookedVia: 'letter' | 'portal' | 'staff';
  bookedByStaff: string | null;
  createdAt: CreatedAt;
  cancelledAt: Timestamp | null;
  cancelledByStaff: string | null;
  cancelReason: string | null;
}

export type BookingNeed = 'wheelchair' | 'sign_language' | 'written';

/** A reservation ID (target) a booking holds; one active booking per target (unique index). */
interface BookingRenewalMemberTable {
  municipalityCode: string;
  bookingId: string;
  renewalTargetId: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  /** 'birth_date' since migration 20261203_0036. */
  verifiedBy: 'session' | 'password' | 'birth_date' | 'staff';
}
interface BookingMemberTable {
  municipalityCode: string;
  bookingId: string;
  targetId: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  verifiedBy: 'session' | 'password' | 'birth_date' | 'staff';
}

export type WaitlistStatus =
  'waiting' | 'offered' | 'accepted' | 'expired' | 'declined' | 'left' | 'dropped';

/** A place in the line of a full slot (migration 0032, decision 0054); an offer holds places. */
interface BookingWaitlistTable {
  municipalityCode: string;
  id: Generated<string>;
  slotId: string;
  kind: AppointmentKind;
  targetId: string;
  members: ColumnType<
    { targetId: string; verifiedBy: 'session' | 'password' | 'birth_date' }[],
    string,
    string
  >;
  places: number;
  email: string;
  phone: ColumnType<string, string | undefined, string>;
  locale: 'ja' | 'en';
  answers: ColumnType<Record<string, unknown>, string | undefined, string>;
  needs: ColumnType<BookingNeed[], BookingNeed[] | undefined, BookingNeed[]>;
  joinKey: string;
  status: ColumnType<WaitlistStatus, WaitlistStatus | undefined, WaitlistStatus>;
  joinedAt: CreatedAt;
  offeredAt: Timestamp | null;
  offerExpiresAt: Timestamp | null;
  endedAt: Timestamp | null;
  bookingId: string | null;
}

/** One attachment of an outbox message, its bytes in base64 (jsonb). */
export type MailAttachmentRow = { filename: string; contentType: string; contentBase64: string };

/** An outbox message (decision 0049): written with the change that sends it, delivered by a job. */
interface MailMessageTable {
  id: Generated<string>;
  municipalityCode: string | null;
  kind: string;
  /** Queueing the same message again (double submit, two reminder runs) stores one row. */
  dedupeKey: string;
  /** The Message-ID header, fixed at the first claim so a retried send carries the same one. */
  messageId: string | null;
  toAddress: string;
  locale: 'ja' | 'en';
  subject: string;
  textBody: string;
  htmlBody: string;
  attachments: ColumnType<MailAttachmentRow[], string | undefined, string>;
  status: ColumnType<
    'queued' | 'sending' | 'sent' | 'held' | 'failed',
    'queued' | undefined,
    'queued' | 'sending' | 'sent' | 'held' | 'failed'
  >;
  transport: 'smtp' | 'local' | null;
  attempts: ColumnType<number, never, number>;
  leaseUntil: Timestamp | null;
  lastError: string | null;
  createdAt: CreatedAt;
  sentAt: Timestamp | null;
}

/** One saved text of the booking site: a city's piece in one language (migration 0031). */
interface BookingContentVersionTable {
  municipalityCode: string;
  piece: 'notice' | 'faq' | 'guide' | 'terms' | 'privacy' | 'contact';
  locale: 'ja' | 'en';
  version: number;
  body: string;
  createdBy: string;
  createdAt: CreatedAt;
  publishedBy: string | null;
  publishedAt: Timestamp | null;
}

/** The version residents see, one per city, piece and language. */
interface BookingContentPublishedTable {
  municipalityCode: string;
  piece: BookingContentVersionTable['piece'];
  locale: 'ja' | 'en';
  version: number;
  publishedBy: string;
  publishedAt: DefaultTimestamp;
}

// ---- mdoc issuance over OpenID4VCI (migration 20261203_0037, decision 0059) ---------------

/** The card's validity as the register gives it (YYYY-MM-DD, inclusive). */
interface ResidentCardTable {
  residentId: string;
  issuedOn: ColumnType<string, string, string>;
  expiresOn: ColumnType<string, string, string>;
  updatedAt: DefaultTimestamp;
}

/** A resident who moved out of the city or died: no new credential. */
interface ResidentRegisterEndTable {
  residentId: string;
  reason: 'moved_out' | 'died';
  endedOn: ColumnType<string, string, string>;
  recordedAt: CreatedAt;
}

/** A used c_nonce (stored as its SHA-256, kept until a day after it expires): used once. */
interface CredentialNonceTable {
  nonceHash: Bytes;
  createdAt: CreatedAt;
  expiresAt: Timestamp;
  usedAt: CreatedAt;
}

/** A Token Status List; next_index is the next index never handed out. */
interface CredentialStatusListTable {
  id: GeneratedAlways<number>;
  size: number;
  nextIndex: ColumnType<number, number | undefined, number>;
  createdAt: CreatedAt;
}

export type IssuanceState = 'pending' | 'issued' | 'failed';
export type CredentialNotificationEvent =
  'credential_accepted' | 'credential_failure' | 'credential_deleted';

/** One credential request of a linked app; the issuance job moves it from pending once. */
interface CredentialIssuanceRequestTable {
  residentId: string;
  id: Generated<string>;
  linkId: string;
  clientId: string;
  configurationId: string;
  state: ColumnType<IssuanceState, IssuanceState | undefined, IssuanceState>;
  failure: string | null;
  transactionHash: Bytes;
  proofsHash: Bytes;
  /** The proofs' device keys (public P-256 JWKs), one mdoc each. */
  deviceKeys: ColumnType<unknown, string, string>;
  notificationId: string;
  notificationEvent: CredentialNotificationEvent | null;
  notifiedAt: Timestamp | null;
  createdAt: CreatedAt;
  finishedAt: Timestamp | null;
  collectedAt: Timestamp | null;
  /** The worker's attempts so far (the queue is the row itself: migration 0049). */
  attempts: Generated<number>;
  /** A worker's lease while it issues; after a failed attempt, when it may be tried again. */
  claimedUntil: Timestamp | null;
  lastError: string | null;
  /** Every attempt failed: waits for an operator's retry (still pending for the app). */
  deadAt: Timestamp | null;
}

/** One issued mdoc. */
interface IssuedCredentialTable {
  residentId: string;
  id: Generated<string>;
  requestId: string;
  doctype: string;
  documentNumber: string;
  /** RFC 7638 JWK thumbprint (SHA-256) of the device key. */
  deviceKeyThumbprint: string;
  statusListId: number;
  statusIndex: number;
  signerId: string;
  signedAt: Timestamp;
  validFrom: Timestamp;
  validUntil: Timestamp;
  /** The CBOR IssuerSigned, kept only until the app collects it. */
  issuerSigned: Bytes | null;
  collectedAt: Timestamp | null;
  revokedAt: Timestamp | null;
  revokedBy: string | null;
  /** A closed set (migration 0039): see REVOCATION_REASONS in app/credentials/revocation.ts. */
  revokedReason: string | null;
  /** The staff member's words, for staff_other only. */
  revokedNote: string | null;
  createdAt: CreatedAt;
}

/** A planned maintenance window (issue 14): residents see a banner before it, then a 503. */
interface MaintenanceWindowTable {
  id: Generated<string>;
  startsAt: Timestamp;
  endsAt: Timestamp;
  messageJa: string;
  messageEn: string;
  createdBy: string;
  createdAt: CreatedAt;
  cancelledAt: Timestamp | null;
  cancelledBy: string | null;
}

/** Browser errors grouped by day, route pattern, kind and message, with a few latest examples. */
interface BrowserErrorDayTable {
  /** 'YYYY-MM-DD', the day in Japan. */
  day: ColumnType<string, string, string>;
  route: string;
  kind: 'error' | 'rejection' | 'csp';
  message: string;
  count: number;
  examples: ColumnType<unknown, string, string>;
  lastSeenAt: DefaultTimestamp;
}

/** Page views per route pattern and day in Japan; no cookies or identifiers. */
interface PageViewDayTable {
  day: ColumnType<string, string, string>;
  route: string;
  views: ColumnType<string, number | string, number | string>;
}

/** One run of an operations job: a base backup or the weekly restore check (decision 0064). */
interface OperationRunTable {
  id: GeneratedAlways<string>;
  kind: 'backup' | 'verify-backup';
  startedAt: Timestamp;
  finishedAt: Timestamp;
  ok: boolean;
  backupId: string | null;
  detail: string;
}

/** HTTP requests per day in Japan, status class and duration bucket (migration 0043). */
interface RequestDayTable {
  day: ColumnType<string, string, string>;
  statusClass: '2xx' | '3xx' | '4xx' | '5xx' | 'other';
  /** The bucket's upper bound in milliseconds (2147483647: slower than the last bound). */
  leMs: number;
  requests: ColumnType<string, number | string, number | string>;
}

/** A stored operations report: one per kind and period (migration 0043). */
interface OperationsReportTable {
  kind: 'daily' | 'weekly';
  periodStart: ColumnType<string, string, string>;
  periodEnd: ColumnType<string, string, string>;
  figures: ColumnType<unknown, string, string>;
  createdAt: CreatedAt;
}
