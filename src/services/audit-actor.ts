import type { Principal } from '../domain/access/principal.ts';
import type { AuditEntryInput } from '../domain/audit/entry.ts';

/** The audit actor for a principal. */
export function auditActor(principal: Principal): AuditEntryInput['actor'] {
  switch (principal.kind) {
    case 'user':
      return { type: 'user', id: principal.userId };
    case 'api_token':
      return { type: 'api_token', id: principal.tokenId, label: `user:${principal.userId}` };
    case 'reporter':
      return { type: 'reporter', id: principal.reportId };
    default:
      return { type: 'anonymous' };
  }
}

