import { PERMISSIONS, ROLES } from '../auth/roles.js';

/** JSON schema of a public user (no password hash). */
export const userSchema = {
  type: 'object',
  properties: {
    username: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    owner: { type: 'string' },
    displayName: { type: 'string' },
    createdAt: { type: 'number' },
  },
} as const;

/** JSON schema of `GET /auth/me` (and the login answer): the user and their permissions. */
export const meSchema = {
  type: 'object',
  properties: { user: userSchema, permissions: { type: 'array', items: { type: 'string', enum: [...PERMISSIONS] } } },
} as const;

/** JSON schema of a `:id` path parameter. */
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

/** JSON schema of a UTC ms timestamp in a query string or body. */
export const timestamp = { type: 'integer', minimum: 0 } as const;
