import { describe, expect, it } from 'vitest';
import { offerExpiry } from './waitlist.ts';

const now = new Date('2027-03-01T09:00:00+09:00');
const hours = (n: number) => new Date(now.getTime() + n * 3600_000);

describe('offerExpiry', () => {
  it('holds for the set time when the deadline is far', () => {
    expect(offerExpiry(now, hours(100), 24)).toEqual(hours(24));
  });
  it('holds half the time left when the slot is near, at least an hour', () => {
    expect(offerExpiry(now, hours(10), 24)).toEqual(hours(5));
    expect(offerExpiry(now, hours(1.5), 24)).toEqual(hours(1));
    expect(offerExpiry(now, hours(0.5), 24)).toEqual(hours(0.5));
  });
  it('never holds past the deadline, and offers nothing after it', () => {
    expect(offerExpiry(now, hours(0.25), 24)!.getTime()).toBeLessThanOrEqual(hours(0.25).getTime());
    expect(offerExpiry(now, now, 24)).toBeNull();
  });
});
