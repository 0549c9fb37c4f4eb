import { describe, expect, it } from 'vitest';
import { cardExpiry } from './card-validity.ts';

describe('My Number card validity', () => {
  it('an adult at issue: the 10th birthday after the issue day', () => {
    expect(cardExpiry('1952-11-03', '2024-04-01')).toBe('2033-11-03');
    // A birthday on the issue day itself is not "after" it.
    expect(cardExpiry('1980-04-01', '2024-04-01')).toBe('2034-04-01');
    expect(cardExpiry('1980-03-31', '2024-04-01')).toBe('2034-03-31');
  });

  it('a minor at issue: the 5th birthday', () => {
    expect(cardExpiry('2010-06-15', '2024-04-01')).toBe('2028-06-15');
    // 18 the day before the issue: an adult's card.
    expect(cardExpiry('2006-03-31', '2024-04-01')).toBe('2034-03-31');
  });

  it('born on 29 February: 28 February in a year without it', () => {
    expect(cardExpiry('1948-02-29', '2024-04-01')).toBe('2034-02-28');
    expect(cardExpiry('1948-02-29', '2022-04-01')).toBe('2032-02-29');
    expect(cardExpiry('1948-02-29', '2023-04-01')).toBe('2033-02-28');
  });
});
