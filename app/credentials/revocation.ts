/**
 * Revoking issued credentials (decision 0062): the closed set of reasons, who may give which,
 * and what a credential's state is. No server imports: the pages use these too.
 */
import { formatDateTime } from '../i18n/dates.ts';
import { documentTypes } from './doctypes.ts';

export const REVOCATION_REASONS = [
  'lost_device',
  'resident_request',
  'card_reissued',
  'record_changed',
  'moved_out',
  'died',
  'staff_other',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** What a resident may say when withdrawing a credential on the portal. */
export const RESIDENT_REASONS = ['lost_device', 'resident_request'] as const;
/** What staff may choose (the register's own reasons are given by the register feed). */
export const STAFF_REASONS = [
  'lost_device',
  'resident_request',
  'card_reissued',
  'record_changed',
  'staff_other',
] as const;

/** After these the app may ask for a new credential at once (the record still stands). */
export const REISSUE_OFFERED: readonly RevocationReason[] = ['card_reissued', 'record_changed'];

export const isRevocationReason = (value: unknown): value is RevocationReason =>
  typeof value === 'string' && (REVOCATION_REASONS as readonly string[]).includes(value);

/** The document type's display name in `locale`, or the doctype itself if none is configured. */
export function doctypeName(doctype: string, locale: 'ja' | 'en'): string {
  return documentTypes.find((d) => d.doctype === doctype)?.display[locale] ?? doctype;
}

/** The first characters of a device key thumbprint, enough for a person to tell keys apart. */
export const shortThumbprint = (thumbprint: string) => thumbprint.slice(0, 8);

export type CredentialState =
  { state: 'active' } | { state: 'expired' } | { state: 'revoked'; reason: RevocationReason };

export function credentialState(
  row: { revokedAt: Date | null; revokedReason: string | null; validUntil: Date },
  now: Date,
): CredentialState {
  if (row.revokedAt)
    return {
      state: 'revoked',
      reason: isRevocationReason(row.revokedReason) ? row.revokedReason : 'staff_other',
    };
  if (row.validUntil.getTime() <= now.getTime()) return { state: 'expired' };
  return { state: 'active' };
}

/** A credential as both pages show it: names and times in the page's language, its state. */
export function credentialView(
  c: {
    id: string;
    doctype: string;
    clientName: string;
    deviceName: string | null;
    signedAt: Date;
    validUntil: Date;
    revokedAt: Date | null;
    revokedReason: string | null;
  },
  locale: 'ja' | 'en',
  now: Date,
) {
  return {
    id: c.id,
    document: doctypeName(c.doctype, locale),
    client: c.clientName,
    device: c.deviceName,
    issuedAt: formatDateTime(c.signedAt, locale),
    validUntil: formatDateTime(c.validUntil, locale),
    ...credentialState(c, now),
  };
}

export type CredentialView = ReturnType<typeof credentialView>;
