/**
 * The resident-register code's check digit, in TypeScript and in the database: both agree,
 * and the table refuses a code with a wrong check digit even when inserted by raw SQL.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestDatabase } from '../../test/database.ts';
import { staffWithSession } from '../../test/support/routes.ts';
import { compactRegisterCode, isRegisterCode, registerCodeCheckDigit } from './register-code.ts';

const database = useTestDatabase();
const db = () => database.connection.db;

describe('the check digit (住民基本台帳法施行規則 第1条)', () => {
  it('weights the ten digits 2–7 then 2–5 from the lowest, modulus 11', () => {
    // 1234567890: 0·2 + 9·3 + 8·4 + 7·5 + 6·6 + 5·7 + 4·2 + 3·3 + 2·4 + 1·5 = 195; 195 mod 11 = 8.
    expect(registerCodeCheckDigit('1234567890')).toBe(3);
    expect(isRegisterCode('12345678903')).toBe(true);
    expect(isRegisterCode('12345678904')).toBe(false);
  });

  it('is 0 when the remainder is 0 or 1', () => {
    // 0000000001: 1·2 = 2, remainder 2 → 9. 0000000006: 6·2 = 12, remainder 1 → 0.
    expect(registerCodeCheckDigit('0000000001')).toBe(9);
    expect(registerCodeCheckDigit('0000000000')).toBe(0);
    expect(registerCodeCheckDigit('0000000006')).toBe(0);
    expect(isRegisterCode('00000000060')).toBe(true);
    expect(isRegisterCode('00000000061')).toBe(false);
  });

  it('refuses anything but 11 digits, and reads full-width digits and hyphens as people type them', () => {
    expect(isRegisterCode('1234567890')).toBe(false);
    expect(isRegisterCode('123456789031')).toBe(false);
    expect(isRegisterCode('1234567890a')).toBe(false);
    expect(compactRegisterCode('１２３４－５６７８－９０３')).toBe('12345678903');
    expect(isRegisterCode(compactRegisterCode(' １２３４ ５６７８ ９０３ '))).toBe(true);
  });

  it('agrees with the database function on every check digit of many codes', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 200; i++) {
      const first10 = String(1_000_000_000 + i * 37_813_579)
        .slice(-10)
        .padStart(10, '0');
      for (let d = 0; d <= 9; d++) codes.push(`${first10}${d}`);
    }
    const { rows } = await sql<{ code: string; valid: boolean }>`
      select code, resident_register_code_valid(code) as valid
      from unnest(${codes}::text[]) as code`.execute(db());
    for (const row of rows) expect(row.valid, row.code).toBe(isRegisterCode(row.code));
    expect(rows.filter((r) => r.valid).length).toBe(200);
  });

  it('is enforced by a CHECK: a raw insert with a wrong check digit is refused', async () => {
    const staff = await staffWithSession(db(), []);
    const insert = (code: string) =>
      sql`
      insert into renewal_target (municipality_code, resident_register_code, name, birth_date,
                                  address, notice_number, origin, created_by)
      values ('999990', ${code}, '試験', '1980-01-01', '住所', 'N-1', 'manual', ${staff.accountId})`.execute(
        db(),
      );
    await expect(insert('12345678904')).rejects.toThrow(
      /renewal_target_resident_register_code_check/,
    );
    await expect(insert('1234567890')).rejects.toThrow(/check/);
    await expect(insert('12345678903')).resolves.toBeDefined();
  });
});
