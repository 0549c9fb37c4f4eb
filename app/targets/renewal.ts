/**
 * The e-certificate renewal target's states as data (safe for the browser). A target starts
 * active and moves once: renewed, or cleared because the person moved out or died. The
 * database refuses every other move (migration 20261202_0027).
 */
export const RENEWAL_STATES = ['active', 'renewed', 'cleared'] as const;
export type RenewalState = (typeof RENEWAL_STATES)[number];

export const CLEAR_REASONS = ['moved_out', 'died'] as const;
export type ClearReason = (typeof CLEAR_REASONS)[number];

/** The most forms one batch prints (one A4 page each). */
export const MAX_PRINT_BATCH = 100;
