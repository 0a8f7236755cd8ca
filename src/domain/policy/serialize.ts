/**
 * Turns a parsed policy back into the form a person writes, so that
 * `parsePolicyYaml(serializePolicyYaml(policy))` gives the same policy.
 * Only the normalised fields (targets, durations) need translating back.
 */
import { formatDuration, sameTarget, severities } from './targets.ts';
import type { Duration, ResponseTarget } from './targets.ts';
import type { FixTargets, Policy, PolicyInput } from './schema.ts';

type TargetInput = string | Record<string, unknown>;

export function targetToInput(target: ResponseTarget): TargetInput {
  switch (target.kind) {
    case 'range':
      return dropUndefined({ min: formatDuration(target.min), max: formatDuration(target.max), note: target.note });
    case 'duration': {
      const written = formatDuration(target);
      if (!target.typical && target.note === undefined) return written;
      return dropUndefined({ target: written, typical: target.typical || undefined, note: target.note });
    }
    case 'asap':
    case 'next_release':
      return target.note === undefined ? target.kind : { target: target.kind, note: target.note };
  }
}

/** A fix target shared by every severity is written once, as `default`. */
function fixToInput(fix: FixTargets): Record<string, TargetInput> {
  const first = fix.critical;
  if (first !== undefined && severities.every((severity) => fix[severity] !== undefined && sameTarget(fix[severity], first))) {
    return { default: targetToInput(first) };
  }
  const written: Record<string, TargetInput> = {};
  for (const severity of severities) {
    const target = fix[severity];
    if (target !== undefined) written[severity] = targetToInput(target);
  }
  return written;
}

function optionalDuration(duration: Duration | undefined): string | undefined {
  return duration === undefined ? undefined : formatDuration(duration);
}

function optionalTarget(target: ResponseTarget | undefined): TargetInput | undefined {
  return target === undefined ? undefined : targetToInput(target);
}

export function policyToInput(policy: Policy): PolicyInput {
  const targets = policy.response_targets;
  return dropUndefined({
    ...policy,
    response_targets: dropUndefined({
      ...targets,
      acknowledgement: targetToInput(targets.acknowledgement),
      initial_assessment: optionalTarget(targets.initial_assessment),
      status_update: optionalTarget(targets.status_update),
      fix: targets.fix === undefined ? undefined : fixToInput(targets.fix),
      general_questions: optionalTarget(targets.general_questions),
    }),
    disclosure: dropUndefined({
      ...policy.disclosure,
      embargo: optionalDuration(policy.disclosure.embargo),
      max_extension: optionalDuration(policy.disclosure.max_extension),
    }),
    escalation: {
      remind_before: formatDuration(policy.escalation.remind_before),
      steps: policy.escalation.steps.map((step) => dropUndefined({ ...step, after_breach: optionalDuration(step.after_breach) })),
    },
  });
}

/** YAML has no undefined; leaving such keys out keeps the file free of `key: null` noise. */
function dropUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
