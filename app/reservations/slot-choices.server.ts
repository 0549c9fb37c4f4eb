/**
 * The published slots a resident may choose (decision 0052): open, before the rules' deadline,
 * within the horizon and with room, each with its availability in words. Apart from the
 * booking flow's pages (and without their React helpers) so that the booking emails, sent by
 * jobs outside the Remix build, can offer the nearest free slots too (decision 0056).
 */
import type { Db } from '../../db/connection.ts';
import { addDays, tokyoDate, tokyoDayStart } from '../i18n/dates.ts';
import {
  availabilityOf,
  lastBookableDay,
  type AppointmentKind,
  type Availability,
} from './booking-rules.ts';
import { bookingDeadline } from './working-days.server.ts';
import { cityClosedDays } from './booking.repository.server.ts';
import { bookingRules } from './booking.service.server.ts';
import { publishedSlots } from './booking-flow.repository.server.ts';

export type SlotChoice = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  left: number;
  availability: Availability;
  /** Open, published, before its deadline and within the horizon, with places for the group. */
  choosable: boolean;
  /** Open, published, before its deadline and within the horizon (a full one has a waitlist). */
  open: boolean;
};

/** The published slots of a facility from `fromDay` for `days` days, each with its state. */
export async function slotChoices(
  db: Db,
  code: string,
  kind: AppointmentKind,
  facilityId: string,
  fromDay: string,
  days: number,
  now: Date,
  places = 1,
): Promise<SlotChoice[]> {
  const rules = await bookingRules(db, code, kind);
  const toDay = addDays(fromDay, days);
  const closed = await cityClosedDays(db, code, tokyoDate(now), toDay);
  const lastDay = lastBookableDay(rules, now);
  const rows = await publishedSlots(
    db,
    code,
    facilityId,
    tokyoDayStart(fromDay),
    tokyoDayStart(toDay),
  );
  return rows.map((s) => {
    const day = tokyoDate(s.startsAt);
    const open =
      !s.closedAt &&
      s.startsAt > now &&
      now <= bookingDeadline(day, rules, closed) &&
      day <= lastDay;
    const availability = open
      ? availabilityOf({ capacity: s.capacity, taken: s.taken })
      : ('full' as const);
    const left = open ? Math.max(0, s.capacity - s.taken) : 0;
    return {
      id: s.id,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      left,
      availability,
      choosable: left >= places,
      open,
    };
  });
}

/** The next free slots after a slot that filled, at the same facility (at most `count`). */
export async function nearestFreeSlots(
  db: Db,
  code: string,
  kind: AppointmentKind,
  facilityId: string,
  after: Date,
  places: number,
  count = 3,
  now = new Date(),
): Promise<SlotChoice[]> {
  const rules = await bookingRules(db, code, kind);
  const slots = await slotChoices(
    db,
    code,
    kind,
    facilityId,
    tokyoDate(after),
    rules.horizonDays + 1,
    now,
    places,
  );
  return slots.filter((s) => s.choosable && s.startsAt >= after).slice(0, count);
}
