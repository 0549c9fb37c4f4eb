/**
 * Every staff permission, one per function. Each staff loader and action checks exactly one.
 * Groups hold permissions; staff belong to groups.
 */
export const permissions = [
  'residents:read',
  'letters:issue',
  'notices:write',
  'todos:write',
  'delivery:read',
  'insurance:read',
  'insurance:import',
  'reservations:manage',
  'reservations:content',
  'targets:import',
  'targets:manage',
  'targets:lookup',
  'targets:letters',
  'targets:export',
  'renewals:manage',
  'clients:manage',
  'audit:read',
  'mail:read',
  'operations:read',
  'operations:manage',
  'staff:manage',
  'maintenance:manage',
  'credentials:manage',
] as const;

export type Permission = (typeof permissions)[number];

export const isPermission = (value: string): value is Permission =>
  (permissions as readonly string[]).includes(value);

/** What a proxy may be granted; a grant names one or more. */
export const proxyScopes = ['notices', 'todos', 'insurance', 'reservations'] as const;
export type ProxyScope = (typeof proxyScopes)[number];
