/**
 * What one audit entry records: who, did what, to which object, when, from
 * where, and with what outcome. Details hold ids and metadata, never secrets
 * or report content.
 */
export type AuditActorType = 'user' | 'api_token' | 'reporter' | 'system' | 'anonymous';
export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEntryInput {
  actor: { type: AuditActorType; id?: string | null | undefined; label?: string | null | undefined };
  /** Dotted verb, e.g. `auth.login.failed`, `project.policy.updated`, `authz.denied`. */
  action: string;
  object?: { type: string; id?: string | null | undefined } | undefined;
  outcome: AuditOutcome;
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
  details?: Record<string, unknown> | undefined;
  at: Date;
}
