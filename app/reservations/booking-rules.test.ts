import { describe, expect, it } from 'vitest';
import { availabilityOf, dayAvailability, weekStartOf } from './booking-rules.ts';
import { bookingDeadline, isWorkingDay } from './working-days.server.ts';

const none = new Set<string>();
const rules = { deadlineWorkingDays: 1, deadlineTime: '17:00' };

describe('booking calendar rules', () => {
  it('counts working days past weekends, national holidays and the city’s closed days', () => {
    // Monday 2027-01-11 is Coming of Age Day: a Tuesday slot closes on Friday the 8th.
    expect(bookingDeadline('2027-01-12', rules, none)).toEqual(
      new Date('2027-01-08T17:00:00+09:00'),
    );
    // A Wednesday slot closes on Tuesday; with Tuesday closed by the city, on Monday.
    expect(bookingDeadline('2027-03-03', rules, none)).toEqual(
      new Date('2027-03-02T17:00:00+09:00'),
    );
    expect(bookingDeadline('2027-03-03', rules, new Set(['2027-03-02']))).toEqual(
      new Date('2027-03-01T17:00:00+09:00'),
    );
    expect(bookingDeadline('2027-03-03', { ...rules, deadlineWorkingDays: 0 }, none)).toEqual(
      new Date('2027-03-03T17:00:00+09:00'),
    );
    expect(isWorkingDay('2027-01-01', none)).toBe(false);
    expect(isWorkingDay('2027-03-06', none)).toBe(false);
    expect(isWorkingDay('2027-03-05', none)).toBe(true);
  });

  it('weeks start on Monday', () => {
    expect(weekStartOf('2027-03-07')).toBe('2027-03-01');
    expect(weekStartOf('2027-03-01')).toBe('2027-03-01');
  });

  it('says available, few left or full from the places left', () => {
    expect(availabilityOf({ capacity: 10, taken: 0 })).toBe('available');
    expect(availabilityOf({ capacity: 10, taken: 8 })).toBe('few');
    expect(availabilityOf({ capacity: 10, taken: 10 })).toBe('full');
    expect(availabilityOf({ capacity: 10, taken: 0, closed: true })).toBe('full');
    expect(availabilityOf({ capacity: 3, taken: 1 })).toBe('few');
    expect(
      dayAvailability([
        { capacity: 4, taken: 4 },
        { capacity: 4, taken: 3 },
      ]),
    ).toBe('few');
    expect(dayAvailability([])).toBe('full');
  });
});
