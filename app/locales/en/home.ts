export default {
  title: 'Your My Number card procedures, at one counter',
  lead: 'Read your notices, keep track of your to-dos, check your health insurance details, and book a time to pick up your card or renew its e-certificate.',
  whatYouCanDo: 'What you can do here',
  features: {
    notices: {
      title: 'Read your notices',
      body: 'Receive notices addressed to you from ministries and your municipality, and news about this service.',
    },
    todos: {
      title: 'Check your to-dos',
      body: 'See procedures with deadlines in one list, such as renewing your e-certificate or booking your card pickup.',
    },
    insurance: {
      title: 'See your health insurance details',
      body: 'Check your insurer, insurance symbol and number, and your co-payment ratio.',
    },
    reservations: {
      title: 'Book a visit to the counter',
      body: 'Book a time at your city office to pick up your My Number card or renew its e-certificate.',
    },
  },
  getStarted: 'Get started',
  signIn: 'Sign in',
  signInHint: 'If you have already registered a passkey',
  firstAccess: 'Use the service for the first time',
  firstAccessHint: 'If you have the letter from your municipality with an ID and password',
  help: 'If anything is unclear, please contact the counter of your municipality.',
};
