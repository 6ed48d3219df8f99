/** JSON schema of the `:id` path parameter of evidence and hold routes (a file-name-safe id). */
export const evidenceIdParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } } } as const;
