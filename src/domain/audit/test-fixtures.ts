import type { AuditEntryInput } from './entry.ts';

/** A distinct, realistic entry; `n` varies every field so swapped or edited entries differ. */
export function sampleAuditEntry(n: number, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    actor: { type: 'user', id: `user-${n % 3}`, label: `Ada ${n}` },
    action: n % 2 === 0 ? 'project.policy.updated' : 'auth.login.succeeded',
    object: { type: 'project', id: `project-${n}` },
    outcome: 'success',
    ip: `192.0.2.${n}`,
    userAgent: `probe/${n}`,
    details: { n, tags: ['a', String(n)], nested: { z: 1, a: null } },
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    ...overrides,
  };
}
