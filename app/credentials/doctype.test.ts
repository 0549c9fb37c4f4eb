import { describe, expect, it } from 'vitest';
import {
  ageOn,
  DocumentDataError,
  resolveElements,
  splitName,
  type CredentialSubject,
} from './doctype.ts';
import { documentTypes, findDocumentType, myNumberCard } from './doctypes.ts';

const facts = {
  today: '2026-12-03',
  documentNumber: 'ABCDEFGHJKMNPQRS',
  issuer: { authorityName: '三浦市', country: 'JP' },
};
const subject: CredentialSubject = {
  resident: {
    name: '渡邊\u3000\uFA11子', // 渡邊 﨑子: a compatibility ideograph NFC would keep, kept anyway
    nameKana: 'ワタナベ\u3000サキコ',
    nameLatin: null,
    birthDate: '2008-02-29',
    sex: 'female',
    address: '神奈川県三浦市三崎町六合3-5',
    municipalityName: '三浦市',
  },
  card: { issuedOn: '2025-01-10', expiresOn: '2035-02-28' },
};

describe('ageOn (Japan: a year is added at the end of the day before the birthday)', () => {
  it('counts completed years, 29 February from 1 March in a common year', () => {
    expect(ageOn('2008-12-03', '2026-12-02')).toBe(17);
    expect(ageOn('2008-12-03', '2026-12-03')).toBe(18);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20);
  });
});

describe('splitName', () => {
  it('splits at U+3000, else at a space, and keeps the characters as registered', () => {
    expect(splitName('\u{20BB7}田\u3000正和')).toEqual({ family: '\u{20BB7}田', given: '正和' });
    expect(splitName('SMITH JOHN PAUL')).toEqual({ family: 'SMITH', given: 'JOHN PAUL' });
    expect(splitName('MADONNA')).toEqual({ family: 'MADONNA', given: '' });
  });
});

describe('resolveElements', () => {
  it('fills the My Number card from the register, the card and the day of issuance', () => {
    const values = Object.fromEntries(
      resolveElements(myNumberCard, subject, facts).map((e) => [e.identifier, e.value]),
    );
    expect(values).toEqual({
      family_name_unicode: '渡邊',
      given_name_unicode: '\uFA11子',
      birth_date: '2008-02-29',
      sex: 2,
      age_over_18: true,
      age_in_years: 18,
      issue_date: '2025-01-10',
      expiry_date: '2035-02-28',
      issuing_authority_unicode: '三浦市',
      issuing_country: 'JP',
      document_number: 'ABCDEFGHJKMNPQRS',
      resident_address_unicode: '神奈川県三浦市三崎町六合3-5',
    });
    expect(Buffer.from(values.given_name_unicode as string).toString('hex')).toBe('efa891e5ad90');
  });

  it('leaves out an optional element without a value and refuses a required one', () => {
    const oneName = { ...subject, resident: { ...subject.resident, name: 'MADONNA' } };
    const ids = resolveElements(myNumberCard, oneName, facts).map((e) => e.identifier);
    expect(ids).not.toContain('given_name_unicode');
    const noAddress = { ...subject, resident: { ...subject.resident, address: '' } };
    expect(() => resolveElements(myNumberCard, noAddress, facts)).toThrow(DocumentDataError);
    const badDate = { ...subject, card: { ...subject.card, expiresOn: '2035-13-01' } };
    expect(() => resolveElements(myNumberCard, badDate, facts)).toThrow(/expiry_date/);
  });

  it('ships configurations with unique identifiers and both languages', () => {
    expect(findDocumentType('org.iso.23220.1.jp.mnc')).toBe(myNumberCard);
    expect(findDocumentType('nope')).toBeUndefined();
    for (const config of documentTypes)
      for (const { elements } of config.namespaces) {
        const ids = elements.map((e) => e.identifier);
        expect(new Set(ids).size).toBe(ids.length);
        for (const e of elements) expect(e.display.ja && e.display.en).toBeTruthy();
      }
  });
});
