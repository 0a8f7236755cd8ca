import type { ApiTokenPrincipal, Principal, UserPrincipal } from '../domain/access/principal.ts';
import { EmbargoError } from '../errors.ts';

/** Narrows the principal on routes whose access rule already guarantees someone signed in. */
export function signedIn(principal: Principal): UserPrincipal | ApiTokenPrincipal {
  if (principal.kind === 'anonymous') throw new EmbargoError('unauthenticated', 'sign in first');
  return principal;
}
