import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availableActions, reportStates, transition, type WorkflowAction, type WorkflowPosition } from './transitions.ts';

const at = (state: WorkflowPosition['state'], resumeState: WorkflowPosition['resumeState'] = null): WorkflowPosition => ({ state, resumeState });

describe('report workflow', () => {
  it('walks the whole happy path with the clock event of each step', () => {
    const steps: Array<[WorkflowAction, string, string]> = [
      [{ type: 'acknowledge' }, 'acknowledged', 'acknowledged'],
      [{ type: 'request_info', reason: 'Which version?' }, 'needs_info', 'needs_info'],
      [{ type: 'provide_info' }, 'acknowledged', 'info_provided'],
      [{ type: 'accept' }, 'accepted', 'accepted'],
      [{ type: 'start_fix' }, 'fix_in_progress', 'status_update'],
      [{ type: 'mark_fixed' }, 'fixed', 'fixed'],
      [{ type: 'disclose' }, 'disclosed', 'disclosed'],
      [{ type: 'close', resolution: 'resolved' }, 'closed', 'closed'],
    ];
    let position = at('received');
    for (const [action, state, event] of steps) {
      const result = transition(position, action, action.type === 'disclose' ? 'system' : 'team');
      expect(result).toMatchObject({ ok: true, position: { state }, event });
      if (result.ok) position = result.position;
    }
  });

  it('returns to where it was when the reporter answers', () => {
    const asked = transition(at('fix_in_progress'), { type: 'request_info', reason: 'Can you test the patch?' }, 'team');
    expect(asked).toMatchObject({ ok: true, position: { state: 'needs_info', resumeState: 'fix_in_progress' } });
    if (asked.ok) expect(transition(asked.position, { type: 'provide_info' }, 'reporter')).toMatchObject({ ok: true, position: { state: 'fix_in_progress' } });
  });

  it.each([
    ['not_applicable'],
    ['informative'],
    ['spam'],
    ['out_of_scope'],
  ] as const)('closes an untriaged report as %s', (resolution) => {
    expect(transition(at('acknowledged'), { type: 'close', resolution }, 'team')).toMatchObject({ ok: true, position: { state: 'closed' }, resolution });
  });

  it('needs the original for a duplicate and a reason to reopen or ask', () => {
    expect(transition(at('received'), { type: 'close', resolution: 'duplicate' }, 'team')).toMatchObject({ ok: false, code: 'validation_failed', path: 'body.duplicateOf' });
    expect(transition(at('received'), { type: 'close', resolution: 'duplicate', duplicateOf: 'PAYQI-2026-0001' }, 'team')).toMatchObject({ ok: true });
    expect(transition(at('closed'), { type: 'reopen', reason: ' ' }, 'team')).toMatchObject({ ok: false, path: 'body.reason' });
    expect(transition(at('closed'), { type: 'reopen', reason: 'New evidence' }, 'team')).toMatchObject({ ok: true, position: { state: 'acknowledged' }, event: 'reopened' });
    expect(transition(at('received'), { type: 'request_info', reason: '' }, 'team')).toMatchObject({ ok: false, path: 'body.reason' });
  });

  it('refuses illegal transitions and actions outside the actor’s role', () => {
    expect(transition(at('received'), { type: 'mark_fixed' }, 'team')).toMatchObject({ ok: false, code: 'illegal_transition' });
    expect(transition(at('closed'), { type: 'accept' }, 'team')).toMatchObject({ ok: false, code: 'illegal_transition' });
    expect(transition(at('received'), { type: 'accept' }, 'reporter')).toMatchObject({ ok: false, code: 'forbidden' });
    expect(transition(at('fixed'), { type: 'close', resolution: 'resolved' }, 'team')).toMatchObject({ ok: false, code: 'illegal_transition' });
  });

  it('offers exactly the actions that would succeed', () => {
    const actionFor: Record<WorkflowAction['type'], WorkflowAction> = {
      acknowledge: { type: 'acknowledge' },
      request_info: { type: 'request_info', reason: 'r' },
      provide_info: { type: 'provide_info' },
      accept: { type: 'accept' },
      close: { type: 'close', resolution: 'not_applicable' },
      start_fix: { type: 'start_fix' },
      mark_fixed: { type: 'mark_fixed' },
      disclose: { type: 'disclose' },
      reopen: { type: 'reopen', reason: 'r' },
    };
    fc.assert(
      fc.property(fc.constantFrom(...reportStates), fc.constantFrom('team' as const, 'reporter' as const, 'system' as const), (state, actor) => {
        const offered = new Set(availableActions(at(state, 'acknowledged'), actor));
        for (const [type, action] of Object.entries(actionFor)) {
          const result = transition(at(state, 'acknowledged'), state === 'disclosed' && type === 'close' ? { type: 'close', resolution: 'resolved' } : action, actor);
          expect(result.ok || (!result.ok && result.code === 'validation_failed')).toBe(offered.has(type as WorkflowAction['type']));
        }
      }),
    );
  });
});
