export default {
  title: 'Book your card pickup',
  not_target: {
    lead: 'We could not find a My Number Card waiting for you to collect.',
    body: 'Booking from the portal works when the card on your record matches a card the city is ready to hand over. If you have a reservation letter, sign in with its reservation ID and password instead. If you think your card should be ready, please call the city office counter.',
  },
  ambiguous: {
    lead: 'We cannot tell for certain which card is yours.',
    body: 'More than one record matches your card, so we do not book from here. Please call the city office counter, or sign in with the reservation ID and password from your letter.',
  },
  cannot_book: {
    lead: 'Your card cannot be booked for at the moment.',
    body: 'It may not be ready yet (you will get a to-do when it is), it may have been handed over already, or it is being re-issued. If this is not what you expected, please call the city office counter.',
  },
  proxy: {
    lead: 'Only the resident can book their card pickup from the portal.',
    body: 'As a proxy, please sign in to the booking site with the reservation ID and password from the resident’s letter.',
  },
  withLetter: 'Sign in with the reservation letter',
  toTodos: 'Back to your to-dos',
};
