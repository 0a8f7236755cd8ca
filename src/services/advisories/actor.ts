import type { ApiTokenPrincipal, UserPrincipal } from '../../domain/access/principal.ts';
import type { AuditEntryInput } from '../../domain/audit/entry.ts';
import { auditActor } from '../audit-actor.ts';

/** Who acts on an advisory: a team member, or the system (the publication job, the operator's CLI). */
export type AdvisoryActor = UserPrincipal | ApiTokenPrincipal | { kind: 'system'; label: 'job' | 'cli' };

export function actorUserId(actor: AdvisoryActor): string | null {
  return actor.kind === 'system' ? null : actor.userId;
}

export function advisoryAuditActor(actor: AdvisoryActor): AuditEntryInput['actor'] {
  return actor.kind === 'system' ? { type: 'system', label: actor.label } : auditActor(actor);
}
