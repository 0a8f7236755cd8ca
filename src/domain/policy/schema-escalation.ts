/** `escalation`: who is reminded before a deadline and who is told, and when, after it passes. */
import { z } from 'zod';
import { emailSchema } from './schema-primitives.ts';
import { durationSchema } from './schema-targets.ts';

export const escalationAudiences = ['assignee', 'triagers', 'project_admins', 'owners'] as const;
export type EscalationAudience = (typeof escalationAudiences)[number];

const stepSchema = z.strictObject({
  /** How long after the breach this step fires; absent means at the breach. */
  after_breach: durationSchema.optional(),
  notify: z.union([z.enum(escalationAudiences), z.strictObject({ email: emailSchema })]),
});

export const escalationSchema = z.strictObject({
  remind_before: durationSchema.default({ kind: 'duration', amount: 24, unit: 'hours', business: false }),
  steps: z
    .array(stepSchema)
    .min(1)
    .max(10)
    .default([
      { notify: 'assignee' },
      { after_breach: { kind: 'duration', amount: 24, unit: 'hours', business: false }, notify: 'project_admins' },
      { after_breach: { kind: 'duration', amount: 72, unit: 'hours', business: false }, notify: 'owners' },
    ]),
});

export type Escalation = z.output<typeof escalationSchema>;
export type EscalationStep = Escalation['steps'][number];
