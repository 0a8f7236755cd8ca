/**
 * `response_targets`: how fast the project answers, assesses, updates and fixes.
 * Every target is normalised into a `ResponseTarget` (see targets.ts).
 */
import { z } from 'zod';
import { calendarDateSchema, lineSchema, timeZoneSchema, uniqueBy } from './schema-primitives.ts';
import { flattenIssues } from './issues.ts';
import { durationInHours, parseDuration } from './targets.ts';
import type { Duration, ResponseTarget, Severity } from './targets.ts';

const durationHint = 'write e.g. 48h, 7 days or 5 business days';

export const durationSchema = z
  .string({ error: `Expected a duration: ${durationHint}` })
  .transform((text, ctx): Duration => {
    const duration = parseDuration(text);
    if (duration === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration: ${durationHint} (at most ten years)` });
      return z.NEVER;
    }
    return duration;
  });

/** `asap`, `next_release` or a duration. */
const plainTargetSchema = z.string().transform((text, ctx): ResponseTarget => {
  const trimmed = text.trim();
  if (trimmed === 'asap' || trimmed === 'next_release') return { kind: trimmed };
  const duration = parseDuration(trimmed);
  if (duration === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a target: use asap, next_release, or a duration (${durationHint})` });
    return z.NEVER;
  }
  return { ...duration, typical: false };
});

/** `{ target: 30 days, typical: true, note: ... }` */
const detailedTargetSchema = z
  .strictObject({ target: plainTargetSchema, typical: z.boolean().default(false), note: lineSchema.optional() })
  .superRefine((value, ctx) => {
    if (value.typical && value.target.kind !== 'duration') {
      ctx.addIssue({ code: 'custom', message: 'typical only applies to a duration target', path: ['typical'] });
    }
  })
  .transform(({ target, typical, note }): ResponseTarget => {
    const withNote = note === undefined ? target : { ...target, note };
    return withNote.kind === 'duration' ? { ...withNote, typical } : withNote;
  });

/** `{ min: 30 days, max: 90 days, note: ... }`, read as "typically within 30–90 days". */
const rangeTargetSchema = z
  .strictObject({ min: durationSchema, max: durationSchema, note: lineSchema.optional() })
  .superRefine(({ min, max }, ctx) => {
    if (min.unit !== max.unit || min.business !== max.business) {
      ctx.addIssue({ code: 'custom', message: 'min and max must use the same unit (both hours, days or business days)', path: ['max'] });
    } else if (durationInHours(min) >= durationInHours(max)) {
      ctx.addIssue({ code: 'custom', message: 'max must be longer than min', path: ['max'] });
    }
  })
  .transform(({ min, max, note }): ResponseTarget => (note === undefined ? { kind: 'range', min, max } : { kind: 'range', min, max, note }));

/**
 * Picks the one written form the value is trying to be and reports that form's
 * problems. A plain z.union would answer any mistake with "Invalid input" and
 * lose the path to the faulty key.
 */
export const responseTargetSchema = z
  .union([z.string(), z.record(z.string(), z.unknown())], {
    error: `Expected a target: asap, next_release, a duration (${durationHint}), or a mapping with target or min/max`,
  })
  .transform((input, ctx): ResponseTarget => {
    const form = typeof input === 'string' ? plainTargetSchema : 'min' in input || 'max' in input ? rangeTargetSchema : detailedTargetSchema;
    const result = form.safeParse(input);
    if (result.success) return result.data;
    for (const issue of flattenIssues(result.error.issues)) ctx.addIssue({ code: 'custom', ...issue });
    return z.NEVER;
  });

const optionalTarget = responseTargetSchema.optional();

export type FixTargets = Record<Severity, ResponseTarget | undefined>;

/** `default` covers every severity not listed; the output always lists the four severities. */
const fixTargetsSchema = z
  .strictObject({ default: optionalTarget, critical: optionalTarget, high: optionalTarget, medium: optionalTarget, low: optionalTarget })
  .transform(({ default: fallback, ...listed }): FixTargets => ({
    critical: listed.critical ?? fallback,
    high: listed.high ?? fallback,
    medium: listed.medium ?? fallback,
    low: listed.low ?? fallback,
  }));

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

const businessDaysSchema = z.strictObject({
  weekdays: z
    .array(z.enum(weekdays, { error: `Weekdays are written ${weekdays.join(', ')}` }))
    .min(1, 'At least one weekday must be a business day')
    .superRefine(uniqueBy((day) => day, 'weekday'))
    .default(['mon', 'tue', 'wed', 'thu', 'fri']),
  holidays: z.array(calendarDateSchema).superRefine(uniqueBy((day) => day, 'holiday')).default([]),
});

export const responseTargetsSchema = z.strictObject({
  /** Deadlines in business days are counted in this zone. */
  timezone: timeZoneSchema.default('UTC'),
  business_days: businessDaysSchema.prefault({}),
  acknowledgement: responseTargetSchema,
  initial_assessment: optionalTarget,
  /** Cadence of progress updates to the reporter. */
  status_update: optionalTarget,
  fix: fixTargetsSchema.optional(),
  /** Answers to general security questions that are not vulnerability reports. */
  general_questions: optionalTarget,
});

export type ResponseTargets = z.output<typeof responseTargetsSchema>;
