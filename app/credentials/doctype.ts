/**
 * A document type is configuration, not code (decision 0058): its doctype, its namespaces,
 * and for every data element where the value comes from, how it is encoded, and its names
 * in Japanese and English. `resolveElements` turns a configuration and one person's data
 * into the values an mdoc carries; nothing here depends on which document it is.
 */

import type { Selectable } from 'kysely';
import type { ResidentTable } from '../../db/schema.ts';

export type Localized = { ja: string; en: string };

/** The resident record as the register holds it (names exactly as registered, 異体字 kept). */
export type ResidentData = Pick<
  Selectable<ResidentTable>,
  'name' | 'nameKana' | 'nameLatin' | 'birthDate' | 'sex' | 'address' | 'municipalityName'
>;

/** Everything one issuance knows about its subject besides the issuer's own settings. */
export type CredentialSubject = {
  resident: ResidentData;
  /** The card (or other document) the credential is derived from; YYYY-MM-DD, inclusive. */
  card: { issuedOn: string; expiresOn: string };
  /** Data of other certificates (a driving licence's privileges…), keyed as configs name it. */
  extra?: Readonly<Record<string, unknown>>;
};

type ResidentField =
  | 'familyName'
  | 'givenName'
  | 'familyNameKana'
  | 'givenNameKana'
  | 'familyNameLatin'
  | 'givenNameLatin'
  | 'birthDate'
  | 'birthYear'
  | 'sex'
  | 'address'
  | 'municipalityName';

/** Where a data element's value comes from. */
export type ElementSource =
  | { from: 'resident'; field: ResidentField }
  | { from: 'card'; field: 'issuedOn' | 'expiresOn' }
  /** Computed when the mdoc is signed, on that day's date in Japan. */
  | { from: 'age'; over: number }
  | { from: 'age'; inYears: true }
  | { from: 'issuer'; field: 'authorityName' | 'country' }
  /** The random number this credential gets (never the My Number; decision 0058). */
  | { from: 'credential'; field: 'documentNumber' }
  | { from: 'extra'; key: string }
  | { from: 'constant'; value: string | number | boolean };

/** How a value is written in CBOR (ISO/IEC 18013-5 §7.2.1, ISO/IEC 23220-2). */
export type ElementEncoding =
  | 'tstr'
  /** RFC 8943 full-date, tag 1004. */
  | 'full-date'
  | 'bool'
  | 'uint'
  /** ISO/IEC 5218: 0 not known, 1 male, 2 female. */
  | 'iso5218'
  /** ISO/IEC 18013-5 driving_privileges: an array of maps whose dates are full-dates. */
  | 'driving-privileges';

export type DataElementConfig = {
  identifier: string;
  source: ElementSource;
  encoding: ElementEncoding;
  display: Localized;
  /** Left out of the mdoc when the source has no value (otherwise issuance fails). */
  optional?: boolean;
};

export type DocumentTypeConfig = {
  /** The OpenID4VCI credential_configuration_id. */
  configurationId: string;
  doctype: string;
  display: Localized;
  namespaces: readonly { namespace: string; elements: readonly DataElementConfig[] }[];
  validity: {
    /** This document's own cap; the issuer's MADOGUCHI_MDOC_MAX_DAYS caps it too. */
    maxDays: number;
    /** The mdoc ends when the card's validity ends (the day after `expiresOn`, Japan time). */
    endsWithCard: boolean;
  };
};

export type DrivingPrivilege = {
  vehicle_category_code: string;
  issue_date?: string;
  expiry_date?: string;
};

/** A value ready to encode: the encoding says how (`full-date` values are YYYY-MM-DD). */
export type ResolvedElement = {
  namespace: string;
  identifier: string;
  encoding: ElementEncoding;
  value: string | number | boolean | readonly DrivingPrivilege[];
};

export type IssuanceFacts = {
  /** The date in Japan on which the mdoc is signed (YYYY-MM-DD). */
  today: string;
  documentNumber: string;
  issuer: { authorityName: string; country: string };
};

export class DocumentDataError extends Error {
  override name = 'DocumentDataError';
}

/** Family and given name: the register separates them with U+3000 (Latin names with a space). */
export function splitName(name: string): { family: string; given: string } {
  const at = name.includes('\u3000') ? name.indexOf('\u3000') : name.indexOf(' ');
  if (at < 0) return { family: name, given: '' };
  return { family: name.slice(0, at), given: name.slice(at + 1) };
}

/**
 * Completed years on `today`. Japanese law (年齢計算ニ関スル法律) adds a year at the end of
 * the day before the birthday, so someone born on 29 February is older from 1 March in a
 * common year — the same as comparing (month, day) pairs.
 */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  const beforeBirthday = tm < bm || (tm === bm && td < bd);
  return ty - by - (beforeBirthday ? 1 : 0);
}

function residentValue(resident: ResidentData, field: ResidentField): string | undefined {
  const name = splitName(resident.name);
  const kana = splitName(resident.nameKana);
  const latin = resident.nameLatin ? splitName(resident.nameLatin) : undefined;
  switch (field) {
    case 'familyName':
      return name.family;
    case 'givenName':
      return name.given;
    case 'familyNameKana':
      return kana.family;
    case 'givenNameKana':
      return kana.given;
    case 'familyNameLatin':
      return latin?.family;
    case 'givenNameLatin':
      return latin?.given;
    case 'birthDate':
      return resident.birthDate;
    case 'birthYear':
      return resident.birthDate.slice(0, 4);
    case 'sex':
      return resident.sex;
    case 'address':
      return resident.address;
    case 'municipalityName':
      return resident.municipalityName;
  }
}

function sourceValue(
  source: ElementSource,
  subject: CredentialSubject,
  facts: IssuanceFacts,
): unknown {
  switch (source.from) {
    case 'resident':
      return residentValue(subject.resident, source.field);
    case 'card':
      return subject.card[source.field];
    case 'age': {
      const age = ageOn(subject.resident.birthDate, facts.today);
      return 'over' in source ? age >= source.over : age;
    }
    case 'issuer':
      return facts.issuer[source.field];
    case 'credential':
      return facts.documentNumber;
    case 'extra':
      return subject.extra?.[source.key];
    case 'constant':
      return source.value;
  }
}

const FULL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const ISO5218 = { unspecified: 0, male: 1, female: 2 } as const;

function checked(element: DataElementConfig, raw: unknown): ResolvedElement['value'] {
  const fail = (): never => {
    throw new DocumentDataError(`${element.identifier}: not a valid ${element.encoding} value`);
  };
  switch (element.encoding) {
    case 'tstr':
      return typeof raw === 'string' && raw !== '' ? raw : fail();
    case 'full-date':
      return typeof raw === 'string' && FULL_DATE.test(raw) ? raw : fail();
    case 'bool':
      return typeof raw === 'boolean' ? raw : fail();
    case 'uint':
      return typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 ? raw : fail();
    case 'iso5218':
      return typeof raw === 'string' && raw in ISO5218
        ? ISO5218[raw as keyof typeof ISO5218]
        : fail();
    case 'driving-privileges': {
      if (!Array.isArray(raw) || raw.length === 0) return fail();
      for (const p of raw as DrivingPrivilege[])
        if (
          typeof p?.vehicle_category_code !== 'string' ||
          (p.issue_date !== undefined && !FULL_DATE.test(p.issue_date)) ||
          (p.expiry_date !== undefined && !FULL_DATE.test(p.expiry_date))
        )
          fail();
      return raw as DrivingPrivilege[];
    }
  }
}

/** Every data element of `config` for this subject, in the configuration's order. */
export function resolveElements(
  config: DocumentTypeConfig,
  subject: CredentialSubject,
  facts: IssuanceFacts,
): ResolvedElement[] {
  const resolved: ResolvedElement[] = [];
  for (const { namespace, elements } of config.namespaces)
    for (const element of elements) {
      const raw = sourceValue(element.source, subject, facts);
      if ((raw === undefined || raw === null || raw === '') && element.optional) continue;
      resolved.push({
        namespace,
        identifier: element.identifier,
        encoding: element.encoding,
        value: checked(element, raw),
      });
    }
  return resolved;
}
