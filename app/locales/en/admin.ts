export default {
  nav: {
    label: 'Staff menu',
    home: 'Staff home',
    residents: 'Residents and letters',
    notices: 'Notices',
    todos: 'Create to-dos',
    insurance: 'Insurance records',
    staff: 'Staff',
    groups: 'Groups and permissions',
    audit: 'Audit log',
  },
  home: {
    title: 'Staff pages',
    lead: '{{name}}, choose what you need to do. Only the functions your permissions allow are shown.',
    permissions: 'Your permissions',
    none: 'You have no permissions yet. Ask an administrator to add you to a group.',
  },
  accept: {
    title: 'Register your staff account',
    lead: 'This creates the staff account of {{name}} ({{email}}). Register a passkey on this device.',
    button: 'Register a passkey and create the staff account',
    invalid:
      'This invitation link is not valid, was already used, or has expired. Ask an administrator for a new one.',
  },
  permission: {
    'residents:read': 'View resident records',
    'letters:issue': 'Issue letters',
    'notices:write': 'Write notices',
    'todos:write': 'Create to-dos',
    'delivery:read': 'View delivery figures',
    'insurance:read': 'View insurance records',
    'reservations:manage': 'Manage reservations',
    'targets:import': 'Import card-issuance targets',
    'clients:manage': 'Manage app clients',
    'audit:read': 'Read the audit log',
    'staff:manage': 'Manage staff and permissions',
  },
} as const;
