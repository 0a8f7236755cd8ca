import type { ApiTokenPrincipal, Principal, ReporterPrincipal, UserPrincipal } from '../domain/access/principal.ts';
import { EmbargoError } from '../errors.ts';

/** Narrows the principal on routes whose access rule already guarantees someone signed in. */
export function signedIn(principal: Principal): UserPrincipal | ApiTokenPrincipal {
  if (principal.kind === 'anonymous' || principal.kind === 'reporter') throw new EmbargoError('unauthenticated', 'sign in first');
  return principal;
}

/** Narrows the principal on reporter-portal routes, whose access rule admits only follow-up tokens. */
export function reporterOf(principal: Principal): ReporterPrincipal {
  if (principal.kind !== 'reporter') throw new EmbargoError('unauthenticated', 'present the follow-up token of your report');
  return principal;
}
