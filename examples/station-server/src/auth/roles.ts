/** The station's user roles; a `viewer` is a household/business owner who sees only their own cameras. */
export const ROLES = ['admin', 'duty-officer', 'investigator', 'viewer'] as const;
/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/**
 * Everything the API lets a user do; each route requires one permission. This file is the one place roles and
 * permissions are defined: the server's guards, `GET /auth/me` and the dashboard all read it.
 */
export const PERMISSIONS = [
  'cameras.view',
  'cameras.manage',
  'live.view',
  'ptz.control',
  'recordings.view',
  'events.view',
  'incidents.view',
  'incidents.manage',
  'exports.create',
  'exports.view',
  'holds.manage',
  'reports.view',
  'health.view',
  'users.manage',
  'audit.view',
] as const;
/** One of {@link PERMISSIONS}. */
export type Permission = (typeof PERMISSIONS)[number];

/** The permissions of each role. Viewers are further restricted to cameras whose `owner` is theirs. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set(PERMISSIONS),
  'duty-officer': new Set<Permission>([
    'cameras.view',
    'live.view',
    'ptz.control',
    'recordings.view',
    'events.view',
    'incidents.view',
    'incidents.manage',
    'health.view',
    'exports.view',
  ]),
  investigator: new Set<Permission>([
    'cameras.view',
    'live.view',
    'recordings.view',
    'events.view',
    'incidents.view',
    'incidents.manage',
    'exports.create',
    'exports.view',
    'holds.manage',
    'reports.view',
    'health.view',
  ]),
  viewer: new Set<Permission>(['cameras.view', 'live.view', 'recordings.view', 'events.view']),
};

/** True when `role` grants `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** The permissions a role grants, in {@link PERMISSIONS} order. */
export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((permission) => ROLE_PERMISSIONS[role].has(permission));
}

/**
 * The permission needed to see a station event of this type: investigation activity (evidence exports and holds,
 * incidents, watchlist alerts) needs the permission of that area, so a household viewer sees neither who exported
 * its camera's footage nor an alert of someone else's case; everything else needs `events.view`.
 */
export function eventPermission(type: string): Permission {
  if (type.startsWith('evidence.') || type.startsWith('hold.')) return 'exports.view';
  if (type.startsWith('incident.') || type.endsWith('.alert')) return 'incidents.view';
  return 'events.view';
}
