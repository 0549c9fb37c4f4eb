/** The waitlist's offer email (server only: never sent to a page). */
export default {
  subject: 'A place is free on your waitlist: My Number card pickup',
  greeting: 'Dear resident,',
  body: 'A place has come free in the time below, whose waitlist you joined. We are holding it for you until {{until}}.',
  how: 'Sign in to the booking site with your reservation ID and password and choose "Book this time" to confirm. After that time, we offer it to the next person in line.',
  facts: {
    when: 'Date and time',
    where: 'Place',
    address: 'Address',
    places: 'People',
    until: 'Held until',
  },
  placesCount_one: '{{count}} person',
  placesCount_other: '{{count}} people',
  closed: {
    subject: 'The time you were waiting for was closed: please book another',
    body: 'The city has closed the time below, whose waitlist you joined. You are no longer in its line, and nothing was booked.',
    reason: 'Message from the counter: {{message}}',
    how: 'To book another time, sign in to the booking site with your reservation ID and password and choose a date and time again.',
  },
  link: 'Booking site',
  signature: 'My Number card counter (this address does not receive replies)',
} as const;
