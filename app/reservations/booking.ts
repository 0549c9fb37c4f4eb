/**
 * The booking site's pure rules, safe for the browser. Who may sign in: a target whose card
 * waits to be handed over. Not before its letter exists (imported), not after the hand-over
 * (issued), not when cancelled or waiting for a re-issued card.
 */
import type { PickupState } from '../targets/target.ts';

const SIGN_IN_STATES: readonly PickupState[] = ['setup_done', 'letter_printed', 'booked'];

export const canSignIn = (state: PickupState): boolean => SIGN_IN_STATES.includes(state);

/** The booking site's address below /:lang. */
export const BOOKING_PATH = '/reservations';
/** The booking site's sign-in page; the site's other pages send a signed-out visitor there. */
export const BOOKING_SIGN_IN_PATH = `${BOOKING_PATH}/sign-in`;

/** 1234567897 as printed and read aloud: 123-456-7897. */
export const formatReservationId = (id: string) =>
  `${id.slice(0, 3)}-${id.slice(3, 6)}-${id.slice(6)}`;
