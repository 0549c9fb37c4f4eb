export default {
  message: {
    title: 'You have a new notice',
  },
  settings: {
    title: 'Push notifications',
    lead: 'When a new notice arrives, the app on your phone or this browser can tell you. A notification shows only the notice’s title and opens the notice. Operator notices sent at night (21:00 to 08:00) arrive in the morning.',
    browser: {
      heading: 'Notifications in this browser',
      noScript:
        'Turning on notifications in this browser needs JavaScript. You can still stop notifications to any device in the list below.',
      unsupported: 'This browser does not support push notifications.',
      denied:
        'This browser does not allow notifications from this site. Allow them in the browser’s site settings, then try again.',
      off: 'This browser does not get notifications.',
      on: 'This browser gets notifications.',
      working: 'Setting up…',
      failed: 'Notifications could not be turned on. Please try again.',
      turnOn: 'Get notifications in this browser',
      turnOff: 'Stop notifications in this browser',
    },
    devices: {
      heading: 'Devices that get notifications',
      none: 'No device gets notifications.',
      kind: {
        browser: 'Browser',
        app: 'Phone app',
      },
      added: 'registered {{at}}',
      remove: 'Stop',
      removeLabel: 'Stop ({{kind}}, registered {{at}})',
    },
    done: {
      subscribed: 'This browser now gets notifications.',
      removed: 'Notifications to that device are stopped.',
    },
    errors: {
      tooMany:
        'Up to 20 devices can get notifications. Stop one you no longer use, then try again.',
      subscription: 'This browser’s subscription could not be accepted. Please try again.',
      endpoint: 'The push address must be a URL starting with https.',
      keys: 'The push encryption keys are not in the right form.',
    },
  },
  fanout: {
    heading: 'Push notifications',
    lead: 'How far the pushes of each notice have got to registered devices. Operator notices are spread over a delivery window (seven days by default) and avoid the night (21:00 to 08:00).',
    none: 'No push notifications have been sent yet.',
    state: {
      running: 'Sending',
      paused: 'Paused',
      cancelled: 'Cancelled',
      done: 'Finished',
    },
    scope: {
      broadcast: 'Operator notice',
      targeted: 'Individual notice',
    },
    started: 'Started {{at}}',
    progress: 'Progress',
    handled: '{{percent}} done, {{remaining}} devices to go',
    devices: 'Devices',
    sent: 'Sent',
    failed: 'Failed',
    deactivated: 'Devices no longer registered',
    remaining: 'To go',
    expectedFinish: 'Expected to finish',
    finished: 'Finished',
    pause: 'Pause',
    resume: 'Resume',
    cancel: 'Cancel…',
    confirmCancel: 'Cancel these pushes?',
    confirmCancelHint:
      'Devices not reached yet will get nothing. A cancelled delivery cannot be resumed.',
    cancelNow: 'Cancel the pushes',
    keep: 'Keep sending',
    paused: 'The pushes are paused.',
    resumed: 'The pushes have resumed.',
    cancelled: 'The pushes are cancelled.',
    unchanged: 'These pushes were already in that state. Nothing changed.',
  },
};
