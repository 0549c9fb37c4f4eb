/**
 * Why a session ended by itself, as the sign-in page is told in its `reason` parameter. Only
 * these codes are ever read back: the page shows our own sentence for a known code and nothing
 * for anything else, so a crafted link cannot put words on the sign-in page.
 */
const SESSION_END_REASONS = ['idle', 'absolute'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export function parseSessionEndReason(value: unknown): SessionEndReason | null {
  return (SESSION_END_REASONS as readonly unknown[]).includes(value)
    ? (value as SessionEndReason)
    : null;
}

/** The sign-in page for a kind of account, with the reason and the way back. */
export function signInPath(
  locale: string,
  staff: boolean,
  redirectTo: string,
  reason: SessionEndReason | null,
): string {
  const back = encodeURIComponent(redirectTo);
  return `/${locale}/${staff ? 'admin/sign-in' : 'sign-in'}?redirectTo=${back}${reason ? `&reason=${reason}` : ''}`;
}
