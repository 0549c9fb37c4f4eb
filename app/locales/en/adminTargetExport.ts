export default {
  title: 'Export card-pickup targets',
  lead: 'Exports card-pickup targets as a CSV file. The first 8 columns have the same headings as the CS terminal’s list of targets, so the file can be imported again as it is. The columns after them hold the state, the times, the reservation ID and the hand-over record. Passwords are never exported.',
  noTargets: 'No card-pickup targets have been imported yet. Import a list of targets first.',
  form: {
    heading: 'What to export',
    state: 'State',
    stateHint: 'Exports only the targets in this state.',
    all: 'All',
    import: 'Import',
    importHint: 'Exports only the targets this import added or updated.',
    importOption: '{{file}} (imported {{date}}, {{lines}} lines)',
    encoding: 'Character encoding',
    encodingHint:
      'Choose UTF-8 unless the file goes to a system that reads only CP932, such as the CS terminal.',
    utf8: 'UTF-8 (with BOM, opens in Excel)',
    cp932: 'CP932 (Shift_JIS, for the CS terminal)',
    submit: 'Check the number of targets',
  },
  encodingName: {
    'utf-8': 'UTF-8',
    cp932: 'CP932',
  },
  state: {
    imported: 'Imported',
    setup_done: 'Set up for issuing',
    letter_printed: 'Letter printed',
    booked: 'Booked',
    issued: 'Issued',
    cancelled: 'Cancelled',
    reissued: 'Reissued',
  },
  result: {
    heading: 'Ready to export',
    count: 'Targets to export: {{n}}, in {{encoding}}.',
    none: 'No targets match these choices. Change them and check again.',
    download: 'Download CSV (targets: {{n}})',
    hint: 'The file holds names, dates of birth and addresses. Downloads are recorded in the audit log.',
  },
  refused: {
    heading: 'Cannot export in CP932',
    body: 'Targets with characters that CP932 cannot hold ({{characters}}): {{rows}}. They are never exported as other characters. Choose UTF-8 as the character encoding.',
  },
  errors: {
    choose: 'Choose one from the list.',
  },
};
