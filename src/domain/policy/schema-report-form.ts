/** `report_form`: what a reporter is asked for, on the intake form and in SECURITY.md. */
import { z } from 'zod';
import { lineSchema, listOfLines, uniqueBy } from './schema-primitives.ts';

export const reportFieldNames = [
  'description',
  'steps_to_reproduce',
  'impact',
  'affected_versions',
  'suggested_fix',
  'contact',
  'credit_name',
] as const;
export type ReportFieldName = (typeof reportFieldNames)[number];

const fieldPresence = z.enum(['required', 'optional', 'hidden'], { error: 'Must be required, optional or hidden' });
export type FieldPresence = z.output<typeof fieldPresence>;

const questionId = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'Must be snake_case: a lowercase letter, then letters, digits or underscores (at most 40)')
  .refine((id) => !(reportFieldNames as readonly string[]).includes(id), 'Must not reuse the name of a standard report field');

const questionBase = { id: questionId, label: lineSchema, help: lineSchema.optional(), required: z.boolean().default(false) };

const extraQuestionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ ...questionBase, type: z.literal('text') }),
    z.strictObject({
      ...questionBase,
      type: z.literal('choice'),
      choices: listOfLines.min(2, 'A choice question needs at least two choices').superRefine(uniqueBy((choice) => choice, 'choice')),
    }),
  ],
  { error: 'Each question needs type: text or choice' },
);

export type ExtraQuestion = z.output<typeof extraQuestionSchema>;

export const reportFormSchema = z.strictObject({
  fields: z
    .strictObject({
      description: fieldPresence.default('required'),
      steps_to_reproduce: fieldPresence.default('required'),
      impact: fieldPresence.default('optional'),
      affected_versions: fieldPresence.default('optional'),
      suggested_fix: fieldPresence.default('optional'),
      contact: fieldPresence.default('optional'),
      credit_name: fieldPresence.default('optional'),
    })
    .refine((fields) => fields.description !== 'hidden', { message: 'A report always needs a description', path: ['description'] })
    .prefault({}),
  extra_questions: z
    .array(extraQuestionSchema)
    .superRefine(uniqueBy((question) => question.id, 'question id', ['id']))
    .default([]),
  /**
   * Keep report titles readable in the database, so the inbox can list and
   * search them without decrypting. Off by default: a title often names the flaw.
   */
  title_in_clear: z.boolean().default(false),
});

export type ReportForm = z.output<typeof reportFormSchema>;
