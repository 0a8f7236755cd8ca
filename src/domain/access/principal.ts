import type { UserRole } from '../../storage/schema.ts';
import type { Scope } from './scopes.ts';

/** A signed-in team member, through a browser session (cookie) or an API session (access JWT). */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  organisationId: string;
  role: UserRole;
  via: 'session' | 'jwt';
  sessionId: string;
  /** False while the organisation requires MFA for this role and the user has not enrolled yet. */
  mfaCompliant: boolean;
}

/** An automation token: acts for its user, limited to its scopes and optionally to one project. */
export interface ApiTokenPrincipal {
  kind: 'api_token';
  tokenId: string;
  userId: string;
  organisationId: string;
  role: UserRole;
  scopes: readonly Scope[];
  projectId: string | null;
}

/** A reporter holding the follow-up token of one report: their own principal, limited to that report. */
export interface ReporterPrincipal {
  kind: 'reporter';
  reportId: string;
  projectId: string;
  tokenId: string;
}

export type Principal = { kind: 'anonymous' } | UserPrincipal | ApiTokenPrincipal | ReporterPrincipal;

export const anonymous: Principal = { kind: 'anonymous' };

/** The user behind a principal, if any. */
export function userIdOf(principal: Principal): string | null {
  return principal.kind === 'user' || principal.kind === 'api_token' ? principal.userId : null;
}
