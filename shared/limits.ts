// Limits and names the renderer needs at run time, kept free of zod: the
// renderer's CSP forbids the eval that zod probes for when a schema is built,
// so the renderer imports values only from zod-free modules like this one
// (types it may import from anywhere).

/** Hard ceiling for any field value, whatever a definition says: bounds memory and regex work. */
export const FIELD_VALUE_MAX_LENGTH = 65_536;

export const FIELD_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** Names a credential already has, so a field may not take them (errors are keyed by name). */
export const RESERVED_FIELD_NAMES = ['name', 'type', 'description', 'id'] as const;

export const CREDENTIAL_NAME_MAX = 100;
export const CREDENTIAL_DESCRIPTION_MAX = 1000;
