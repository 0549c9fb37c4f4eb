import { describe, expect, it } from 'vitest';
import {
  ABSOLUTE_WARNING_MS,
  IDLE_WARNING_MS,
  nextCheckAt,
  warningFor,
  type Deadlines,
} from './session-timeout.tsx';

const MIN = 60_000;
const now = 1_000_000_000_000;
const staff = (idleIn: number, absoluteIn: number): Deadlines => ({
  idleAt: now + idleIn,
  absoluteAt: now + absoluteIn,
  idleMinutes: 15,
  absoluteHours: 9,
});

describe('session-timeout timing', () => {
  it('warns two minutes before the idle end, and not before', () => {
    expect(warningFor(staff(IDLE_WARNING_MS + 1, 8 * 60 * MIN), now, false)).toBeNull();
    expect(warningFor(staff(IDLE_WARNING_MS, 8 * 60 * MIN), now, false)).toBe('idle');
  });

  it('five minutes before the absolute limit the warning is the one that cannot be extended', () => {
    expect(warningFor(staff(14 * MIN, ABSOLUTE_WARNING_MS), now, false)).toBe('absolute');
    // The idle expiry capped at the absolute one: extending would change nothing.
    expect(warningFor(staff(MIN, MIN), now, false)).toBe('absolute');
    // Once dismissed it is not shown again; an idle end before the limit still warns.
    expect(warningFor(staff(MIN, MIN), now, true)).toBeNull();
    expect(warningFor(staff(MIN, 4 * MIN), now, true)).toBe('idle');
  });

  it('looks next at the warning time, then at the end', () => {
    const d = staff(15 * MIN, 9 * 60 * MIN);
    expect(nextCheckAt(d, null, false, now)).toBe(now + 13 * MIN);
    expect(nextCheckAt(d, 'idle', false, now)).toBe(now + 15 * MIN);
  });

  it('never schedules a look in the past while nothing would change', () => {
    // The absolute warning was dismissed and the idle end is capped at the limit: the warning
    // time has passed without a warning, so the next look is the end, not "at once, again".
    const d = staff(MIN, MIN);
    expect(warningFor(d, now, true)).toBeNull();
    expect(nextCheckAt(d, null, true, now)).toBe(now + MIN);
  });
});
