export default {
  title: 'To-dos',
  lead: 'Procedures you need to complete, with their due dates (in Japan time). Record the ones you have finished with “Mark as done”.',
  open: {
    heading: 'To do',
    empty: 'You have nothing to do right now.',
  },
  closed: {
    heading: 'Done or not needed',
    on: 'Recorded on {{date}}',
  },
  status: {
    label: 'Status',
    open: 'Not started',
    overdue: 'Overdue',
    done: 'Done',
    dismissed: 'Not needed',
  },
  due: {
    label: 'Due',
    none: 'No due date',
    today: 'Due today',
    soon_one: 'Due soon: {{count}} day left',
    soon_other: 'Due soon: {{count}} days left',
    overdue_one: '{{count}} day past the due date',
    overdue_other: '{{count}} days past the due date',
  },
  where: {
    label: 'Where to do it',
    internal: 'Open the page for this procedure',
    external: 'Do it on {{host}} (you will leave Madoguchi)',
    none: 'No link',
  },
  error: 'That did not work. Reload the page and try again.',
  markDone: 'Mark as done',
  dismiss: 'Mark as not needed',
  confirm: {
    doneTitle: 'Mark this to-do as done?',
    dismissTitle: 'Mark this to-do as not needed?',
    lead: 'It will move to “Done or not needed”. This cannot be undone.',
    doneButton: 'Mark as done',
    dismissButton: 'Mark as not needed',
    cancel: 'Cancel',
  },
  updated: {
    done: 'This to-do is now marked as done:',
    dismissed: 'This to-do is now marked as not needed:',
  },
} as const;
