/**
 * The card-pickup target's lifecycle as data (safe for the browser). The database keeps the
 * same moves in pickup_transition and refuses any other (migration 20261202_0019); the test
 * beside this file checks that the two agree, move by move.
 */
export const PICKUP_STATES = [
  'imported',
  'setup_done',
  'letter_printed',
  'booked',
  'issued',
  'cancelled',
  'reissued',
] as const;

export type PickupState = (typeof PICKUP_STATES)[number];

/** Where each state may go next. */
export const PICKUP_TRANSITIONS: Readonly<Record<PickupState, readonly PickupState[]>> = {
  imported: ['setup_done', 'cancelled'],
  setup_done: ['letter_printed', 'cancelled'],
  letter_printed: ['booked', 'cancelled'],
  // A booking withdrawn before the day puts the target back to "letter printed".
  booked: ['issued', 'letter_printed', 'cancelled'],
  issued: ['reissued'],
  cancelled: ['reissued'],
  // A re-issued card goes through pre-issuance set-up again.
  reissued: ['setup_done'],
};

export const canMove = (from: PickupState, to: PickupState): boolean =>
  PICKUP_TRANSITIONS[from].includes(to);
