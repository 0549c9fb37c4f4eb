/** Emails about a booking (server only: never sent to a page). */
export default {
  subject: {
    confirmed: 'Your booking is confirmed: My Number card pickup',
    changed: 'Your booking has changed: My Number card pickup',
    cancelled: 'Your booking is cancelled: My Number card pickup',
    reminder: 'Your booking is tomorrow: My Number card pickup',
  },
  greeting: 'Dear resident,',
  body: {
    confirmed:
      'We have received your booking below. Please bring the letter and an identity document on the day.',
    changed: 'Your booking has moved to the time below. The earlier time is no longer held.',
    cancelled: 'The booking below has been cancelled.',
    cancelledByStaff:
      'The city office had to cancel the booking below. Reason: {{reason}}\nPlease book another time on the booking site.',
    reminder: 'Your booking below is tomorrow. Please bring the letter and an identity document.',
    freeSlots: 'Times still free at the same place:\n{{times}}',
    manage:
      'To change or cancel, sign in to the booking site with your reservation ID and password (until the deadline).',
  },
  facts: {
    when: 'Date and time',
    where: 'Place',
    address: 'Address',
    people: 'Reservation IDs',
    places: 'People',
  },
  placesCount_one: '{{count}} person',
  placesCount_other: '{{count}} people',
  link: 'Booking site',
  summary: 'My Number card pickup',
  signature: 'My Number card counter (this address does not receive replies)',
} as const;
