/**
 * The resident-register code (住民票コード): ten random digits and a check digit, as
 * 住民基本台帳法施行規則 第1条 sets it. Counting the ten digits from the lowest (n = 1 … 10),
 * each is weighted n + 1 for n ≤ 6 and n − 5 above (2–7, then 2–5); the check digit is
 * 11 − (sum mod 11), or 0 when the remainder is 0 or 1. The database checks the same rule
 * (resident_register_code_valid, migration 20261202_0027). Safe for the browser.
 */
import { normalizeCell } from '../csv/csv-read.ts';

/** The check digit of the first ten digits. */
export function registerCodeCheckDigit(first10: string): number {
  let sum = 0;
  for (let n = 1; n <= 10; n++) {
    const digit = Number(first10[10 - n]);
    sum += digit * (n <= 6 ? n + 1 : n - 5);
  }
  const rest = sum % 11;
  return rest <= 1 ? 0 : 11 - rest;
}

/** Full-width digits, spaces and hyphens as people type them: the 11 digits, or the text. */
export const compactRegisterCode = (text: string): string =>
  normalizeCell(text).replace(/[\s\u3000\-ー−‐]/g, '');

export function isRegisterCode(code: string): boolean {
  return /^[0-9]{11}$/.test(code) && registerCodeCheckDigit(code) === Number(code[10]);
}
