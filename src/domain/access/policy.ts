import type { ProjectRole } from '../../storage/schema-accounts.ts';
import type { Principal } from './principal.ts';
import type { Scope } from './scopes.ts';

/**
 * The single place that decides who may do what. Routes name an action (and
 * the project it concerns, if any); the access-control hook asks `decide`.
 * Anything not listed is denied.
 */
export const actions = [
  'account.read',
  'account.logout',
  'account.manage',
  'account.enrolMfa',
  'organisation.read',
  'organisation.manage',
  'users.read',
  'users.manage',
  'audit.read',
  'project.create',
  'project.updatePolicy',
  'project.readHistory',
  'project.readMembers',
  'project.manageMembers',
  'project.manageWebhooks',
  'report.list',
  'report.inbox',
  'project.metrics',
  'report.read',
  'report.write',
  'report.manageReporterAccess',
  'report.manageReporterData',
  'portal.read',
  'portal.write',
  'advisory.read',
  'advisory.write',
  'advisory.publish',
] as const;
export type Action = (typeof actions)[number];

/** What is known about the object of a request when deciding. */
export interface AccessContext {
  /** The project the request concerns, when the route names one (directly or through a report). */
  projectId?: string | undefined;
  /** The report the request concerns, when the route names one. */
  reportId?: string | undefined;
  /** The principal's role in that project, if a member. */
  projectRole?: ProjectRole | null | undefined;
}

type Rule = {
  /** Organisation roles allowed everywhere. */
  orgRoles: ReadonlyArray<'owner' | 'admin' | 'member'>;
  /** Project roles allowed on their own project (needs a project in the context). */
  projectRoles?: readonly ProjectRole[];
  /** The scope an API token needs ('any' for every token); no scope means tokens may never do this. */
  scope?: Scope | 'any';
  /** Allowed before a required MFA enrolment is done. */
  beforeMfa?: boolean;
  /** A reporter's follow-up token may do this, on its own report only; no one else may. */
  reporterOnly?: boolean;
};

const admins = ['owner', 'admin'] as const;
const everyone = ['owner', 'admin', 'member'] as const;
const anyProjectRole = ['project_admin', 'triager', 'viewer'] as const;

const rules: Record<Action, Rule> = {
  'account.read': { orgRoles: everyone, beforeMfa: true, scope: 'any' },
  'account.logout': { orgRoles: everyone, beforeMfa: true },
  'account.manage': { orgRoles: everyone },
  'account.enrolMfa': { orgRoles: everyone, beforeMfa: true },
  'organisation.read': { orgRoles: everyone, scope: 'users:read' },
  'organisation.manage': { orgRoles: ['owner'] },
  'users.read': { orgRoles: admins, scope: 'users:read' },
  'users.manage': { orgRoles: admins, scope: 'users:write' },
  'audit.read': { orgRoles: admins, scope: 'audit:read' },
  'project.create': { orgRoles: admins, scope: 'projects:write' },
  'project.updatePolicy': { orgRoles: admins, projectRoles: ['project_admin'], scope: 'projects:write' },
  'project.readHistory': { orgRoles: admins, projectRoles: anyProjectRole, scope: 'projects:read' },
  'project.readMembers': { orgRoles: admins, projectRoles: anyProjectRole, scope: 'projects:read' },
  'project.manageMembers': { orgRoles: admins, projectRoles: ['project_admin'], scope: 'users:write' },
  // Webhooks send metadata of every report out of the instance: admins only, not triagers.
  'project.manageWebhooks': { orgRoles: admins, projectRoles: ['project_admin'], scope: 'projects:write' },
  'report.list': { orgRoles: admins, projectRoles: anyProjectRole, scope: 'reports:read' },
  'report.inbox': { orgRoles: everyone, scope: 'reports:read' },
  'project.metrics': { orgRoles: admins, projectRoles: anyProjectRole, scope: 'reports:read' },
  'report.read': { orgRoles: admins, projectRoles: anyProjectRole, scope: 'reports:read' },
  'report.write': { orgRoles: admins, projectRoles: ['project_admin', 'triager'], scope: 'reports:write' },
  'report.manageReporterAccess': { orgRoles: admins, projectRoles: ['project_admin', 'triager'], scope: 'reports:write' },
  // A reporter's personal data in full, and its irreversible erasure: project admins only.
  'report.manageReporterData': { orgRoles: admins, projectRoles: ['project_admin'], scope: 'reports:write' },
  'portal.read': { orgRoles: [], reporterOnly: true },
  'portal.write': { orgRoles: [], reporterOnly: true },
  // Drafts are embargoed: the project team reads them; triagers draft; making anything public (schedule, publish, withdraw) is for project admins.
  'advisory.read': { orgRoles: admins, projectRoles: anyProjectRole, scope: 'advisories:read' },
  'advisory.write': { orgRoles: admins, projectRoles: ['project_admin', 'triager'], scope: 'advisories:write' },
  'advisory.publish': { orgRoles: admins, projectRoles: ['project_admin'], scope: 'advisories:write' },
};

export type Decision = { allowed: true } | { allowed: false; reason: 'unauthenticated' | 'forbidden' | 'mfa_enrolment_required' };

const allow: Decision = { allowed: true };

/** Would the user behind the principal be allowed, by organisation or project role? */
function roleAllows(rule: Rule, role: 'owner' | 'admin' | 'member', context: AccessContext): boolean {
  if (rule.orgRoles.includes(role)) return true;
  return rule.projectRoles !== undefined && context.projectRole != null && rule.projectRoles.includes(context.projectRole);
}

export function decide(principal: Principal, action: Action, context: AccessContext = {}): Decision {
  const rule = rules[action];
  if (principal.kind === 'anonymous') return { allowed: false, reason: 'unauthenticated' };
  // A follow-up token opens exactly one report and nothing else; team principals never act as reporters.
  if (principal.kind === 'reporter' || rule.reporterOnly) {
    const own = principal.kind === 'reporter' && (context.reportId === undefined || context.reportId === principal.reportId);
    return own && rule.reporterOnly ? allow : { allowed: false, reason: 'forbidden' };
  }
  if (principal.kind === 'user') {
    if (!principal.mfaCompliant && !rule.beforeMfa) return { allowed: false, reason: 'mfa_enrolment_required' };
    return roleAllows(rule, principal.role, context) ? allow : { allowed: false, reason: 'forbidden' };
  }
  // An API token can do no more than its user, and only within its scopes and project.
  const inScope = rule.scope === 'any' || (rule.scope !== undefined && principal.scopes.includes(rule.scope));
  const inProject = principal.projectId === null || principal.projectId === context.projectId;
  return inScope && inProject && roleAllows(rule, principal.role, context) ? allow : { allowed: false, reason: 'forbidden' };
}

/** Which organisation roles must use MFA, given the organisation's settings. */
export function mfaRequiredFor(role: 'owner' | 'admin' | 'member', settings: { mfaRequiredForAdmins: boolean; mfaRequiredForAll: boolean }): boolean {
  return settings.mfaRequiredForAll || (settings.mfaRequiredForAdmins && role !== 'member');
}
