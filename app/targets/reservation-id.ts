/**
 * Reservation IDs: nine random digits and a Luhn check digit, so that a digit typed wrong or
 * two digits swapped from the letter are caught before any lookup. Digits only: read aloud on
 * the phone and typed on a phone keypad.
 */
import { randomInt } from 'node:crypto';

function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function newReservationId(): string {
  const body = String(randomInt(100_000_000, 1_000_000_000));
  return body + luhnDigit(body);
}

/** Whether a typed ID (full-width digits, spaces and hyphens allowed) is well formed. */
export function readReservationId(typed: string): string | null {
  const digits = typed.normalize('NFKC').replace(/[\s\-‐ー]/g, '');
  if (!/^[0-9]{10}$/.test(digits)) return null;
  return luhnDigit(digits.slice(0, 9)) === Number(digits[9]) ? digits : null;
}
