export default {
  siteName: 'Madoguchi',
  siteTagline: 'My Number card procedures and notices',
  titleTemplate: '{{title}} | Madoguchi',
  skipToMain: 'Skip to main content',
  languageSwitch: {
    label: 'Language',
    ja: '日本語',
    en: 'English',
  },
  footer: {
    operator: 'Operated by the Madoguchi service office',
    note: 'This site sends no information to outside services.',
  },
  routeAnnouncement: '{{title}} page loaded',
  errors: {
    notFound: {
      title: 'Page not found',
      body: 'The page you are looking for may have moved or been removed. Please check the address.',
      home: 'Back to the home page',
    },
    forbidden: {
      title: 'You do not have permission to view this page',
      body: 'Your account lacks the permission this page needs. Ask an administrator if you need it.',
    },
    server: {
      title: 'Something went wrong',
      body: 'Sorry, a temporary problem stopped this page from loading. Please try again in a little while.',
      reference: 'If you contact us, please quote this reference: {{id}}',
    },
    crossOrigin: {
      title: 'We could not accept that submission',
      body: "Forms sent from other sites are not accepted. Please try again from this site's own pages.",
    },
  },
};
