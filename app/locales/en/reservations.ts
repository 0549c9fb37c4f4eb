export default {
  title: 'Booking your My Number Card pickup',
  signIn: {
    lead: 'Enter the reservation ID and password printed on the letter we sent you about picking up your card. If you scanned the QR code on the letter, you do not need to type them.',
    reservationId: 'Reservation ID',
    reservationIdHint: '10 digits (for example 123-456-7890). Hyphens and spaces are optional.',
    password: 'Password',
    passwordHint: 'The 8 letters and digits on your letter. Upper or lower case both work.',
    submit: 'Sign in',
    signedOut: 'You have signed out.',
    help: 'If you lost the letter or cannot read the password, contact your city office. They will send you a letter with a new password.',
    errors: {
      required: 'Enter this',
      reservationIdFormat: 'Enter 10 digits',
      reservationIdCheck: 'This reservation ID is not right. Check the digits on your letter again',
      invalid:
        'The reservation ID or password is not right. After several wrong tries, signing in pauses for a while.',
      locked: 'Signing in is paused after several wrong tries. Try again after {{time}}.',
    },
  },
  signedIn: {
    heading: 'You are signed in',
    name: 'Name',
    reservationId: 'Reservation ID',
    signOut: 'Sign out',
  },
  qr: {
    title: 'The QR code did not sign you in',
    refused:
      'This QR code cannot be used. It may have expired, a letter with a new password may have been sent, or the card may already have been handed over.',
    locked: 'Signing in is paused after several wrong tries. Try again after {{time}}.',
    instead: 'Sign in with the reservation ID and password on your latest letter.',
    toSignIn: 'Sign in with the reservation ID and password',
  },
} as const;
