/** What an API token may be allowed to do. Tokens never manage accounts: those actions have no scope. */
export const scopes = [
  'projects:read',
  'projects:write',
  'reports:read',
  'reports:write',
  'advisories:read',
  'advisories:write',
  'users:read',
  'users:write',
  'audit:read',
] as const;

export type Scope = (typeof scopes)[number];
