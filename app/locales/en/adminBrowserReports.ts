export default {
  errors: {
    title: 'Browser errors',
    lead: 'Uncaught errors, unhandled promise rejections and content security policy violations that residents’ and staff browsers reported to Madoguchi itself in the last {{days}} days, grouped by message and page. No query strings, cookies or personal data are kept.',
    none: 'No browser errors reported.',
    perDay: 'Reports per day',
    groups: 'Latest groups',
    example: 'Example from {{time}}',
  },
  views: {
    title: 'Page views',
    lead: 'Pages served, per page and day in Japan, counted by the server without cookies or identifiers.',
    delivery: 'Delivery status',
    caption: 'Page views in the last {{days}} days',
    none: 'No page views counted yet.',
  },
  column: {
    day: 'Day',
    kind: 'Kind',
    route: 'Page',
    count: 'Count',
    lastSeen: 'Last seen',
  },
  kind: { error: 'Errors', rejection: 'Unhandled rejections', csp: 'CSP violations' },
} as const;
