export default {
  pages: {
    guide: 'How to book',
    faq: 'Questions and answers',
    terms: 'Terms of use',
    privacy: 'Privacy policy',
    contact: 'Contact us',
  },
  notPublished:
    'This page has not been published yet. If you have a question, contact your city office.',
  updated: 'Last updated: {{date}}',
  notice: 'Notice',
  links: 'About the booking site',
  toSignIn: 'Back to the booking site',
};
