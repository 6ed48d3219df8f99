/** JSON schema of a public user (no password hash). */
export const userSchema = {
  type: 'object',
  properties: {
    username: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'duty-officer', 'investigator', 'viewer'] },
    owner: { type: 'string' },
    displayName: { type: 'string' },
    createdAt: { type: 'number' },
  },
} as const;

/** JSON schema of a `:id` path parameter. */
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

/** JSON schema of a UTC ms timestamp in a query string or body. */
export const timestamp = { type: 'integer', minimum: 0 } as const;
