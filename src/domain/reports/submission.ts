import type { ErrorDetail } from '../../errors.ts';
import type { Policy } from '../policy/schema.ts';

/** What a reporter sends, after type and size checks (src/http/routes/reports/schema.ts). */
export interface Submission {
  title: string;
  description: string;
  steps_to_reproduce?: string | undefined;
  impact?: string | undefined;
  suggested_fix?: string | undefined;
  affected_versions?: { text?: string | undefined; versions?: Array<{ ecosystem?: string | undefined; package?: string | undefined; version: string }> | undefined } | undefined;
  contact?: { email?: string | undefined; uri?: string | undefined } | undefined;
  reporter_public_key?: string | undefined;
  credit?: { mode: 'named' | 'anonymous' | 'none'; name?: string | undefined } | undefined;
  answers?: Record<string, string> | undefined;
}

const present = (value: unknown): boolean => {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (typeof value === 'object') return Object.values(value).some(present);
  return true;
};

/**
 * Checks a submission against the project's report form: required fields
 * present, extra questions answered with allowed values. A field the form
 * hides is still accepted when sent (an API client, a reporter volunteering
 * contact details): refusing it would lose what they wrote. Returns every
 * problem with its body path; an empty list means valid.
 */
export function checkSubmissionAgainstPolicy(policy: Pick<Policy, 'report_form'>, submission: Submission): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const fields = policy.report_form.fields;
  const value: Record<keyof typeof fields, unknown> = {
    description: submission.description,
    steps_to_reproduce: submission.steps_to_reproduce,
    impact: submission.impact,
    suggested_fix: submission.suggested_fix,
    affected_versions: submission.affected_versions,
    contact: submission.contact,
    credit_name: submission.credit?.mode === 'named' ? submission.credit.name : undefined,
  };
  for (const [field, presence] of Object.entries(fields) as Array<[keyof typeof fields, string]>) {
    const path = field === 'credit_name' ? 'body.credit.name' : `body.${field}`;
    if (presence === 'required' && !present(value[field])) problems.push({ path, message: 'is required by this project' });
  }
  if (submission.credit?.mode === 'named' && !present(submission.credit.name)) problems.push({ path: 'body.credit.name', message: 'is needed to credit you by name' });

  const questions = new Map(policy.report_form.extra_questions.map((q) => [q.id, q]));
  for (const question of questions.values()) {
    const answer = submission.answers?.[question.id];
    if (question.required && !present(answer)) problems.push({ path: `body.answers.${question.id}`, message: 'is required by this project' });
    if (question.type === 'choice' && present(answer) && !question.choices.includes(answer!)) {
      problems.push({ path: `body.answers.${question.id}`, message: `must be one of: ${question.choices.join(', ')}` });
    }
  }
  for (const id of Object.keys(submission.answers ?? {})) {
    if (!questions.has(id)) problems.push({ path: `body.answers.${id}`, message: 'is not a question of this project' });
  }
  return problems;
}
