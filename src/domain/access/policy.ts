import type { Principal } from './principal.ts';

/**
 * The single place that decides who may do what. Routes name an action; the
 * authorization hook asks `isAllowed`. Anything not listed is denied.
 */
export const actions = ['project.create', 'project.updatePolicy', 'project.readHistory', 'account.readSelf'] as const;
export type Action = (typeof actions)[number];

type Rule = (principal: Principal) => boolean;

const isUser: Rule = (p) => p.kind === 'user';
const isOrgAdmin: Rule = (p) => p.kind === 'user' && (p.role === 'owner' || p.role === 'admin');

const rules: Record<Action, Rule> = {
  'project.create': isOrgAdmin,
  'project.updatePolicy': isOrgAdmin,
  'project.readHistory': isUser,
  'account.readSelf': isUser,
};

export function isAllowed(principal: Principal, action: Action): boolean {
  const rule = rules[action];
  return rule !== undefined && rule(principal);
}
