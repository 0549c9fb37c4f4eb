export default {
  ended: {
    idle: 'You were signed out after {{minutes}} minutes without activity, to keep your account safe. Sign in again to go back to where you were.',
    absolute:
      'You were signed out because {{hours}} hours have passed since you signed in, to keep your account safe. Sign in again to go back to where you were.',
  },
  warning: {
    idleTitle: 'You will be signed out soon',
    idleBody:
      'For your security, you are signed out after {{minutes}} minutes without activity. If nothing happens, you will be signed out at {{time}}.',
    idleHint: 'Choose “Stay signed in” to continue. What you have typed stays on this device.',
    stay: 'Stay signed in',
    absoluteTitle: 'You will be signed out soon (this cannot be extended)',
    absoluteBody:
      'A session ends {{hours}} hours after signing in, even while you are working. You will be signed out at {{time}}: finish and save what you are doing before then. This time cannot be extended.',
    absoluteClose: 'OK',
    extended: 'You are still signed in. Without activity, you will be signed out at {{time}}.',
  },
  draft: {
    restored: 'We restored the draft you were typing at {{time}}.',
    discard: 'Discard the draft',
    discarded: 'The draft was discarded.',
  },
};
