/** The booking site's waitlist: joining from a full time, the line, offers. */
export default {
  join: 'Join the waitlist for {{time}}',
  joinHint:
    'A full time has a waitlist. When a place comes free, we email the people in line in the order they joined and hold the place for a while.',
  check: {
    title: 'Check your waitlist request',
    notice:
      'This is not a booking. You are joining the waitlist; we will email you when a place comes free.',
    lead: 'Check the details, then choose "Join the waitlist".',
    confirm: 'Join the waitlist',
  },
  heading: 'Waitlist',
  position: 'You are number {{position}} in line',
  places_one: '{{count}} person',
  places_other: '{{count}} people',
  offer: {
    heading: 'A place is free: held for you until {{until}}',
    lead: 'Choose "Book this time" before then to confirm the booking.',
    confirm: 'Book this time',
    decline: 'Decline',
  },
  leave: 'Leave the waitlist',
  what: '{{facility}}, {{date}} {{time}}',
  facts: { when: 'Date and time', where: 'Place', people: 'People', state: 'Status' },
  staff: {
    count: '(waitlist: {{waiting}} waiting, {{offered}} offered with places held)',
  },
  notice: {
    joined: 'You have joined the waitlist. We will email you when a place comes free.',
    left: 'You have left the waitlist.',
    declined: 'You have declined the offer. We will offer the place to the next person in line.',
    accepted: 'Your booking is confirmed.',
    expired: 'The offer has expired, so the place went to the next person in line.',
    alreadyWaiting: 'You are already on the waitlist for this time.',
    notFound: 'This waitlist entry was not found.',
    refused: 'This time could not be booked. Please choose another date and time.',
  },
} as const;
