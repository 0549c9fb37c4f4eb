export default {
  title: 'Delivery status',
  pageViews: 'Page views per page and day',
  lead: 'Deliveries, opens and open rates of notices, totalled by the month they were published (Japan time) and by kind. Each notice’s page shows its opens over time.',
  noRate: 'none: nothing was delivered',
  category: {
    broadcast: 'Operator notices',
    targeted: 'Notices from ministries and municipalities',
  },
  period: {
    heading: 'Period',
    legend: 'Months',
    hint: 'Months of publication, Japan time, such as 2026-01. The last month is included. Leave empty for the last 12 months.',
    from: 'From month',
    to: 'To month',
    submit: 'Show this period',
    reset: 'Back to the last 12 months',
  },
  errors: {
    month: 'Enter a month such as 2026-01.',
    range: 'Enter an end month that is the same as or after the start month.',
    tooLong: 'Choose a period of 120 months or fewer.',
  },
  monthly: {
    heading: 'Totals by month ({{period}})',
    caption: '{{category}} ({{period}})',
    period: '{{from}} to {{to}}',
    month: 'Month',
    notices: 'Notices',
    deliveries: 'Deliveries',
    opens: 'Opens',
    openRate: 'Open rate',
    total: 'Total for the period',
  },
  export: {
    link: 'Download the totals for this period as CSV',
    hint: 'A UTF-8 CSV file (opens in Excel). Downloads are recorded in the audit log.',
  },
  notes: {
    heading: 'How the figures are counted',
    month:
      'A notice counts in the month of its publication time in Japan. Scheduled notices and notices withdrawn before publication are not counted.',
    deliveries:
      'Deliveries: for notices from ministries and municipalities, the residents they were sent to. For operator notices, the number of residents when the figures are counted (for a municipality, its residents now) stands in: an operator notice keeps no list of recipients, so past months’ figures also change as residents move in and out.',
    opens:
      'Opens: residents who opened the notice. A resident who opens it several times counts once.',
    openRate:
      'Open rate: opens ÷ deliveries, to one decimal place. When there were no deliveries it shows “—”.',
  },
  notice: {
    title: 'Delivery status',
    delivered: 'Delivered to',
    opened: 'Opened by',
    openRate: 'Open rate',
    noteTargeted:
      'Delivered to: the residents the notice was sent to. Opened by: residents who opened it (once each, however often).',
    noteBroadcast:
      'For an operator notice, “delivered to” is the number of residents now, not at publication. Opened by: residents who opened it (once each, however often).',
    overTime: 'Opens over time',
    notYet: 'This notice is not published yet. Deliveries and opens are shown once it is.',
    monthlyLink: 'See delivery status by month',
  },
  chart: {
    caption: {
      day: 'Opens per day since publication (Japan time)',
      week: 'Opens per week since publication (7-day periods, Japan time)',
    },
    tableCaption: {
      day: 'Opens per day (table)',
      week: 'Opens per week (table)',
    },
    desc: {
      day: 'Bar chart of opens per day from {{first}} to {{last}}. {{total}} opens in total; the most on {{peak}}: {{peakOpens}}.',
      week: 'Bar chart of opens per week from {{first}} to {{last}}. {{total}} opens in total; the most in {{peak}}: {{peakOpens}}.',
    },
    descNone: {
      day: 'Bar chart of opens per day from {{first}} to {{last}}. Nobody has opened the notice yet.',
      week: 'Bar chart of opens per week from {{first}} to {{last}}. Nobody has opened the notice yet.',
    },
    xAxis: {
      day: 'Day',
      week: 'First day of the week',
    },
    yAxis: 'Opens',
    period: {
      day: 'Day',
      week: 'Week',
    },
    opens: 'Opens',
    cumulative: 'Opens so far',
  },
  csv: {
    month: 'Month',
    category: 'Kind',
    notices: 'Notices',
    deliveries: 'Deliveries',
    opens: 'Opens',
    openRate: 'Open rate (%)',
  },
} as const;
