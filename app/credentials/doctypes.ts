import type {
  CredentialSubject,
  DataElementConfig,
  DocumentTypeConfig,
  ElementEncoding,
  ElementSource,
} from './doctype.ts';

/**
 * The document types Madoguchi issues (decision 0058). Adding one is adding a configuration
 * here: the issuer, the tests' verification and the OpenID4VCI metadata read them alike.
 */

const ISO_23220 = 'org.iso.23220.1';
const ISO_23220_JP = 'org.iso.23220.1.jp';
const ISO_MDL = 'org.iso.18013.5.1';

/** One data element: its identifier, encoding, source, and names in Japanese and English. */
function element(
  identifier: string,
  encoding: ElementEncoding,
  source: ElementSource,
  ja: string,
  en: string,
  optional = false,
): DataElementConfig {
  return { identifier, encoding, source, display: { ja, en }, ...(optional ? { optional } : {}) };
}

const birthDate = element(
  'birth_date',
  'full-date',
  { from: 'resident', field: 'birthDate' },
  '生年月日',
  'Date of birth',
);
const ageOver18 = element(
  'age_over_18',
  'bool',
  { from: 'age', over: 18 },
  '18歳以上',
  'Aged 18 or over',
);
const issuingCountry = element(
  'issuing_country',
  'tstr',
  { from: 'issuer', field: 'country' },
  '発行国',
  'Issuing country',
);
const documentNumber = element(
  'document_number',
  'tstr',
  { from: 'credential', field: 'documentNumber' },
  '証明書番号',
  'Credential number',
);
const familyName = { from: 'resident', field: 'familyName' } as const;
// A register entry may have no given name (one-part foreign names): optional.
const givenName = { from: 'resident', field: 'givenName' } as const;
const cardIssued = { from: 'card', field: 'issuedOn' } as const;
const cardExpires = { from: 'card', field: 'expiresOn' } as const;
const authority = { from: 'issuer', field: 'authorityName' } as const;

/** The My Number card (個人番号カード) as public verifier SDKs list it. */
export const myNumberCard: DocumentTypeConfig = {
  configurationId: 'org.iso.23220.1.jp.mnc',
  doctype: 'org.iso.23220.1.jp.mnc',
  display: { ja: 'マイナンバーカード', en: 'My Number Card' },
  namespaces: [
    {
      namespace: ISO_23220,
      elements: [
        element('family_name_unicode', 'tstr', familyName, '氏', 'Family name'),
        element('given_name_unicode', 'tstr', givenName, '名', 'Given name', true),
        birthDate,
        element('sex', 'iso5218', { from: 'resident', field: 'sex' }, '性別', 'Sex'),
        ageOver18,
        element('age_in_years', 'uint', { from: 'age', inYears: true }, '年齢', 'Age'),
        element('issue_date', 'full-date', cardIssued, 'カードの発行日', 'Card issue date'),
        element('expiry_date', 'full-date', cardExpires, 'カードの有効期限', 'Card expiry date'),
        element('issuing_authority_unicode', 'tstr', authority, '発行者', 'Issuing authority'),
        issuingCountry,
        documentNumber,
      ],
    },
    {
      namespace: ISO_23220_JP,
      elements: [
        element(
          'resident_address_unicode',
          'tstr',
          { from: 'resident', field: 'address' },
          '住所',
          'Address',
        ),
      ],
    },
  ],
  validity: { maxDays: 90, endsWithCard: true },
};

/**
 * The ISO mobile driving licence, shipped to prove the issuer general; its licence data is
 * demo data (`demoDrivingLicence`), since Madoguchi holds no licence register.
 */
export const mobileDrivingLicence: DocumentTypeConfig = {
  configurationId: 'org.iso.18013.5.1.mDL',
  doctype: 'org.iso.18013.5.1.mDL',
  display: { ja: 'モバイル運転免許証（デモ）', en: 'Mobile driving licence (demo)' },
  namespaces: [
    {
      namespace: ISO_MDL,
      elements: [
        element('family_name', 'tstr', familyName, '氏', 'Family name'),
        element('given_name', 'tstr', givenName, '名', 'Given name', true),
        birthDate,
        element('issue_date', 'full-date', cardIssued, '交付年月日', 'Issue date'),
        element('expiry_date', 'full-date', cardExpires, '有効期限', 'Expiry date'),
        issuingCountry,
        element('issuing_authority', 'tstr', authority, '交付者', 'Issuing authority'),
        documentNumber,
        element(
          'driving_privileges',
          'driving-privileges',
          { from: 'extra', key: 'drivingPrivileges' },
          '運転できる車両',
          'Driving privileges',
        ),
        element(
          'un_distinguishing_sign',
          'tstr',
          { from: 'constant', value: 'J' },
          '国際識別記号',
          'UN distinguishing sign',
        ),
        ageOver18,
        element('age_over_21', 'bool', { from: 'age', over: 21 }, '21歳以上', 'Aged 21 or over'),
      ],
    },
  ],
  validity: { maxDays: 30, endsWithCard: true },
};

export const documentTypes: readonly DocumentTypeConfig[] = [myNumberCard, mobileDrivingLicence];

/** The configuration an OpenID4VCI credential_configuration_id names, if any. */
export function findDocumentType(configurationId: string): DocumentTypeConfig | undefined {
  return documentTypes.find((d) => d.configurationId === configurationId);
}

/**
 * Demo licence data for the mDL configuration: a licence for ordinary cars (B) first issued
 * on the resident's 20th birthday, its card renewed on `today` and valid 3 years.
 */
export function demoDrivingLicence(
  birthDate: string,
  today: string,
): Pick<CredentialSubject, 'card' | 'extra'> {
  const firstIssued = `${Number(birthDate.slice(0, 4)) + 20}${birthDate.slice(4)}`;
  const expiresOn = `${Number(today.slice(0, 4)) + 3}${birthDate.slice(4, 10).replace('-02-29', '-02-28')}`;
  return {
    card: { issuedOn: today, expiresOn },
    extra: {
      drivingPrivileges: [
        {
          vehicle_category_code: 'B',
          issue_date: firstIssued.replace(/-02-29$/, '-02-28'),
          expiry_date: expiresOn,
        },
      ],
    },
  };
}
