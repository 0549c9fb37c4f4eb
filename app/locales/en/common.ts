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
  form: {
    errorSummaryTitle: 'Please check what you entered',
    errorPrefix: 'Error: ',
    required: 'required',
    requiredSeparator: ', ',
  },
  passkey: {
    cancelled: 'The passkey request was cancelled or timed out. Please try again.',
    failed: 'This browser could not use a passkey. Please try another browser or device.',
    alreadyOnDevice:
      'This device (or passkey manager) already holds a passkey for this account. Add one on another device.',
    needsJavaScript: 'Passkeys need JavaScript. Please turn it on in your browser.',
    unsupported: 'This browser does not support passkeys. Please use an up-to-date browser.',
    autofillLabel: 'Saved passkey',
    autofillHint: 'Select this field to see the passkeys saved on this device.',
  },
  nav: {
    label: 'Main menu',
    my: 'My page',
    notices: 'Notices',
    todos: 'To-dos',
    insurance: 'Health insurance',
  },
  account: {
    signedInAs: 'Signed in as <name>{{name}}</name>',
    signOut: 'Sign out',
    myPage: 'My page',
    signIn: 'Sign in',
    actingFor: 'You are acting for <name>{{name}}</name>',
    switchBack: 'Stop acting for them',
    admin: 'Staff pages',
  },
  routeAnnouncement: '{{title}} page loaded',
  maintenance: {
    banner: 'Maintenance: from {{range}}. Madoguchi cannot be used during this time.',
    bannerNow: 'Maintenance in progress ({{range}}): residents’ pages are closed.',
    title: 'Madoguchi is under maintenance',
    when: 'Maintenance: {{range}} (Japan time).',
    comeBack: 'Please come back after {{time}}. Nothing you saved before has been lost.',
  },
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
    tooLarge: {
      title: 'What you sent is too large',
      body: 'We could not accept it because it is larger than this form allows (files up to 16 MB). Please go back and send a smaller file.',
    },
    badRequest: {
      title: 'We could not read what you sent',
      body: 'The form data was damaged on the way. Please go back and try again.',
    },
    methodNotAllowed: {
      title: 'This page cannot take that request',
      body: 'The page was asked in a way it does not answer. Please open it from a link or the address bar.',
    },
    unavailable: {
      title: 'Madoguchi is briefly unavailable',
      body: 'Madoguchi cannot reach its records for a moment. If you were sending a form, it was not saved: please send it again in a few seconds.',
    },
    crossOrigin: {
      title: 'We could not accept that submission',
      body: "Forms sent from other sites are not accepted. Please try again from this site's own pages.",
    },
  },
};
