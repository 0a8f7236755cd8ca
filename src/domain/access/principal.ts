import type { UserRole } from '../../storage/schema.ts';

/** Who is making a request. The accounts issue adds sessions, scoped tokens and reporter principals. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; organisationId: string; role: UserRole; tokenId: string };

export const anonymous: Principal = { kind: 'anonymous' };
