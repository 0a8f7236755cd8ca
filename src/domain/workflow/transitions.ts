import type { ClockEventType } from '../sla/clocks.ts';

export const reportStates = ['received', 'acknowledged', 'needs_info', 'accepted', 'fix_in_progress', 'fixed', 'disclosed', 'closed'] as const;
export type ReportState = (typeof reportStates)[number];

/** Why a report was closed. `resolved` closes a disclosed report; the others close it without a fix. */
export const resolutions = ['not_applicable', 'informative', 'duplicate', 'spam', 'out_of_scope', 'resolved'] as const;
export type Resolution = (typeof resolutions)[number];

export type WorkflowActor = 'team' | 'reporter' | 'system';

export type WorkflowAction =
  | { type: 'acknowledge' }
  | { type: 'request_info'; reason: string }
  | { type: 'provide_info' }
  | { type: 'accept' }
  | { type: 'close'; resolution: Resolution; duplicateOf?: string | undefined; reason?: string | undefined }
  | { type: 'start_fix' }
  | { type: 'mark_fixed' }
  | { type: 'disclose' }
  | { type: 'reopen'; reason: string };

export interface WorkflowPosition {
  state: ReportState;
  /** Where a report waiting on the reporter goes back to when they answer. */
  resumeState: ReportState | null;
}

export type TransitionResult =
  | { ok: true; position: WorkflowPosition; event: ClockEventType; resolution: Resolution | null }
  | { ok: false; code: 'illegal_transition' | 'forbidden' | 'validation_failed'; message: string; path?: string };

const open: readonly ReportState[] = ['received', 'acknowledged', 'needs_info'];
const rules: Record<WorkflowAction['type'], { from: readonly ReportState[]; by: readonly WorkflowActor[]; event: ClockEventType }> = {
  acknowledge: { from: ['received'], by: ['team'], event: 'acknowledged' },
  request_info: { from: ['received', 'acknowledged', 'accepted', 'fix_in_progress'], by: ['team'], event: 'needs_info' },
  provide_info: { from: ['needs_info'], by: ['team', 'reporter'], event: 'info_provided' },
  accept: { from: open, by: ['team'], event: 'accepted' },
  close: { from: [...open, 'disclosed'], by: ['team'], event: 'closed' },
  start_fix: { from: ['accepted'], by: ['team'], event: 'status_update' },
  mark_fixed: { from: ['accepted', 'fix_in_progress'], by: ['team'], event: 'fixed' },
  disclose: { from: ['accepted', 'fix_in_progress', 'fixed'], by: ['system', 'team'], event: 'disclosed' },
  reopen: { from: ['closed'], by: ['team'], event: 'reopened' },
};

const refuse = (code: 'illegal_transition' | 'forbidden' | 'validation_failed', message: string, path?: string): TransitionResult => ({ ok: false, code, message, ...(path ? { path } : {}) });

/**
 * The report life cycle as one pure function: (position, action, actor) →
 * new position, or a coded refusal. received → acknowledged → (needs_info ⇄)
 * → accepted, or closed as not applicable / informative / duplicate / spam /
 * out of scope → fix in progress → fixed → disclosed → closed. Reopen needs a
 * reason. Every accepted transition yields the clock event it records.
 */
export function transition(position: WorkflowPosition, action: WorkflowAction, actor: WorkflowActor): TransitionResult {
  const rule = rules[action.type];
  if (!rule.by.includes(actor)) return refuse('forbidden', `${actor === 'reporter' ? 'a reporter' : 'this actor'} cannot ${action.type.replace('_', ' ')}`);
  if (!rule.from.includes(position.state)) return refuse('illegal_transition', `cannot ${action.type.replace('_', ' ')} a report that is ${position.state.replace('_', ' ')}`);
  const next = (state: ReportState, resolution: Resolution | null = null, resumeState: ReportState | null = null): TransitionResult => ({
    ok: true,
    position: { state, resumeState },
    event: rule.event,
    resolution,
  });
  switch (action.type) {
    case 'acknowledge':
      return next('acknowledged');
    case 'request_info':
      if (!action.reason.trim()) return refuse('validation_failed', 'say what you need from the reporter', 'body.reason');
      return next('needs_info', null, position.state);
    case 'provide_info':
      return next(position.resumeState ?? 'acknowledged');
    case 'accept':
      return next('accepted');
    case 'close': {
      if (position.state === 'disclosed' ? action.resolution !== 'resolved' : action.resolution === 'resolved') {
        return refuse('validation_failed', position.state === 'disclosed' ? 'a disclosed report closes as resolved' : 'only a disclosed report closes as resolved', 'body.resolution');
      }
      if (action.resolution === 'duplicate' && !action.duplicateOf) return refuse('validation_failed', 'name the report this one duplicates', 'body.duplicateOf');
      return next('closed', action.resolution);
    }
    case 'start_fix':
      return next('fix_in_progress');
    case 'mark_fixed':
      return next('fixed');
    case 'disclose':
      return next('disclosed');
    case 'reopen':
      if (!action.reason.trim()) return refuse('validation_failed', 'give a reason to reopen', 'body.reason');
      return next('acknowledged');
  }
}

/** The actions that are valid now, for the UI to offer only those. */
export function availableActions(position: WorkflowPosition, actor: WorkflowActor): Array<WorkflowAction['type']> {
  return (Object.keys(rules) as Array<WorkflowAction['type']>).filter((type) => rules[type].by.includes(actor) && rules[type].from.includes(position.state));
}
