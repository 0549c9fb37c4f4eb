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

/** The header: the import's columns first, in the CS list's order, then the export's own. */
export const TARGET_EXPORT_HEADER: readonly string[] = [
  ...Object.values(TARGET_CSV_COLUMNS),
  ...Object.values(TARGET_EXPORT_COLUMNS),
];

const time = (value: Date | null) => (value ? tokyoIsoString(value) : '');
const flag = (value: boolean | null) => (value === null ? '' : value ? '1' : '0');

export function targetExportLine(r: TargetExportRecord): string[] {
  return [
    // TARGET_CSV_COLUMNS
    r.applicationId,
    r.manufactureNo,
    r.name,
    r.nameKana ?? '',
    r.birthDate,
    SEX_TEXT[r.sex],
    r.postalCode ?? '',
    r.address,
    // TARGET_EXPORT_COLUMNS
    r.state,
    time(r.createdAt),
    time(r.setupDoneAt),
    time(r.letterPrintedAt),
    time(r.bookedAt),
    time(r.stateIssuedAt),
    time(r.cancelledAt),
    time(r.reissuedAt),
    time(r.stateChangedAt),
    time(r.updatedAt),
    time(r.credentialsIssuedAt),
    r.reservationId ?? '',
    r.reservationId ? String(r.credentialsVersion) : '',
    time(r.issuedAt),
    r.issuedBy ?? '',
    r.issuedByName ?? '',
    r.handoverManufactureNo ?? '',
    (r.identityDocuments ?? []).join(' '),
    r.faceCheck ?? '',
    flag(r.userCertificate),
    flag(r.signingCertificate),
    flag(r.pinSetup),
  ];
}
