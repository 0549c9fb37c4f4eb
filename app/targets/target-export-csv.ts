/**
 * One card-pickup target as a line of the export (decision 0047): the CS list's eight columns
 * under the list's own headers, so the file goes back in through the import unchanged, then
 * what Madoguchi keeps about the target (state, lifecycle times, reservation ID, hand-over).
 * Never the reservation password, its hash or its seal. Pure: the service feeds it rows.
 */
import { tokyoIsoString } from '../i18n/dates.ts';
import {
  SEX_TEXT,
  TARGET_CSV_COLUMNS,
  TARGET_EXPORT_COLUMNS,
  type TargetRow,
} from './target-csv.ts';
import type { PickupState } from './target.ts';

export type TargetExportRecord = TargetRow & {
  state: PickupState;
  createdAt: Date;
  /** When the target last entered each state (null: never). */
  setupDoneAt: Date | null;
  letterPrintedAt: Date | null;
  bookedAt: Date | null;
  stateIssuedAt: Date | null;
  cancelledAt: Date | null;
  reissuedAt: Date | null;
  stateChangedAt: Date;
  updatedAt: Date;
  credentialsIssuedAt: Date | null;
  reservationId: string | null;
  credentialsVersion: number;
  /** The latest hand-over of a card to this target, if any. */
  issuedAt: Date | null;
  issuedBy: string | null;
  issuedByName: string | null;
  handoverManufactureNo: string | null;
  identityDocuments: string[] | null;
  faceCheck: 'matched' | 'not_matched' | null;
  userCertificate: boolean | null;
  signingCertificate: boolean | null;
  pinSetup: boolean | null;
};

type ListColumn = keyof typeof TARGET_CSV_COLUMNS;
type OwnColumn = keyof typeof TARGET_EXPORT_COLUMNS;
const COLUMNS = [
  ...(Object.keys(TARGET_CSV_COLUMNS) as ListColumn[]),
  ...(Object.keys(TARGET_EXPORT_COLUMNS) as OwnColumn[]),
];

/** The header: the import's columns first, in the CS list's order, then the export's own. */
export const TARGET_EXPORT_HEADER: readonly string[] = COLUMNS.map(
  (c) => ({ ...TARGET_CSV_COLUMNS, ...TARGET_EXPORT_COLUMNS })[c],
);

const time = (value: Date | null) => (value ? tokyoIsoString(value) : '');
const flag = (value: boolean | null) => (value === null ? '' : value ? '1' : '0');

/** The cells of one target, by column: a column without a cell is a type error. */
function cellsOf(r: TargetExportRecord): Record<ListColumn | OwnColumn, string> {
  return {
    applicationId: r.applicationId,
    manufactureNo: r.manufactureNo,
    name: r.name,
    nameKana: r.nameKana ?? '',
    birthDate: r.birthDate,
    sex: SEX_TEXT[r.sex],
    postalCode: r.postalCode ?? '',
    address: r.address,
    state: r.state,
    importedAt: time(r.createdAt),
    setupDoneAt: time(r.setupDoneAt),
    letterPrintedAt: time(r.letterPrintedAt),
    bookedAt: time(r.bookedAt),
    stateIssuedAt: time(r.stateIssuedAt),
    cancelledAt: time(r.cancelledAt),
    reissuedAt: time(r.reissuedAt),
    stateChangedAt: time(r.stateChangedAt),
    updatedAt: time(r.updatedAt),
    credentialsIssuedAt: time(r.credentialsIssuedAt),
    reservationId: r.reservationId ?? '',
    credentialsVersion: r.reservationId ? String(r.credentialsVersion) : '',
    issuedAt: time(r.issuedAt),
    issuedById: r.issuedBy ?? '',
    issuedByName: r.issuedByName ?? '',
    handoverManufactureNo: r.handoverManufactureNo ?? '',
    identityDocuments: (r.identityDocuments ?? []).join(' '),
    faceCheck: r.faceCheck ?? '',
    userCertificate: flag(r.userCertificate),
    signingCertificate: flag(r.signingCertificate),
    pinSetup: flag(r.pinSetup),
  };
}

/** One target as a line, in the header's order. */
export function targetExportLine(r: TargetExportRecord): string[] {
  const cells = cellsOf(r);
  return COLUMNS.map((c) => cells[c]);
}
