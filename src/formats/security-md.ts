/**
 * SECURITY.md from a policy: the page GitHub links as "Security policy" and
 * the first thing a researcher reads. Sections follow the order a reader needs
 * them: what is supported, how to report, what happens next, what becomes public.
 */
import { contactUri } from '../domain/policy/schema-contacts.ts';
import type { Contact, Encryption, Policy } from '../domain/policy/schema.ts';
import { reportFieldNames } from '../domain/policy/schema-report-form.ts';
import { describeTargetWithNote, describeWeekdays, joinWords, reportFieldLabels, severityLabels, targetStageLabels } from '../domain/policy/describe.ts';
import type { TargetStage } from '../domain/policy/describe.ts';
import { sameTarget, severities } from '../domain/policy/targets.ts';
import type { ResponseTarget, Severity } from '../domain/policy/targets.ts';
import { bulletList, escapeInline, link, numberedList, section, table } from './markdown.ts';
import { closingLines, laterSections } from './security-md-sections.ts';

export interface SecurityMdOptions {
  /** This project's report form on the Embargo instance. */
  reportUrl?: string | undefined;
  securityTxtUrl?: string | undefined;
  /** Where published advisories are listed. */
  advisoriesUrl?: string | undefined;
}

export function renderSecurityMd(policy: Policy, opts: SecurityMdOptions = {}): string {
  const parts = [
    `# ${escapeInline(policy.project.name)} Security Policy`,
    policy.intro,
    supportedVersions(policy),
    reporting(policy, opts),
    whatToExpect(policy),
    ...laterSections(policy, opts),
    closingLines(policy),
  ];
  return `${parts.filter((part) => part !== undefined && part !== '').join('\n\n')}\n`;
}

function supportedVersions(policy: Policy): string {
  const { intro, rows, note } = policy.supported_versions;
  const versionTable = table(
    ['Version', 'Supported'],
    rows.map((row) => [row.label, row.supported ? '✅ Yes' : '❌ No']),
  );
  return section(2, 'Supported Versions', [intro, versionTable, note]);
}

function reporting(policy: Policy, opts: SecurityMdOptions): string {
  const formListed = opts.reportUrl !== undefined && policy.contacts.some((contact) => contactUri(contact) === opts.reportUrl);
  const channels = [
    ...(opts.reportUrl !== undefined && !formListed ? [`**Secure report form**: ${link(opts.reportUrl, opts.reportUrl)}`] : []),
    ...policy.contacts.map(describeContact),
  ];
  const orderNote = channels.length > 1 ? 'Report privately through one of these channels, in order of preference:' : 'Report privately through:';
  const securityTxt = opts.securityTxtUrl === undefined ? undefined : `Machine-readable contact details: ${link('security.txt', opts.securityTxtUrl)}.`;
  return section(2, 'Reporting a Vulnerability', [
    '**Please do not report security vulnerabilities through public issues, discussions or pull requests.**',
    `${orderNote}\n\n${numberedList(channels)}`,
    securityTxt,
    policy.encryption === undefined ? undefined : encryption(policy.encryption),
    whatToInclude(policy),
  ]);
}

function describeContact(contact: Contact): string {
  const uri = contactUri(contact);
  const shown = contact.kind === 'email' ? contact.address : uri;
  const fallbackLabel = { email: 'Email', web_form: 'Report form', link: 'Contact' }[contact.kind];
  const note = contact.note === undefined ? '' : ` (${escapeInline(contact.note)})`;
  return `**${escapeInline(contact.label ?? fallbackLabel)}**: ${link(shown, uri)}${note}`;
}

function encryption(settings: Encryption): string {
  const lines = [
    settings.statement === undefined ? undefined : escapeInline(settings.statement),
    settings.key_url === undefined ? undefined : `Encrypt your report with our OpenPGP key: ${link(settings.key_url, settings.key_url)}`,
    settings.fingerprint === undefined ? undefined : `Key fingerprint: \`${settings.fingerprint}\``,
    settings.public_key === undefined ? undefined : `Our OpenPGP public key:\n\n\`\`\`text\n${settings.public_key}\n\`\`\``,
  ];
  return section(3, 'Encryption', lines);
}

function whatToInclude(policy: Policy): string {
  const { fields, extra_questions: questions } = policy.report_form;
  const standard = reportFieldNames
    .filter((name) => fields[name] !== 'hidden')
    .map((name) => `${reportFieldLabels[name]} (${fields[name]})`);
  const extra = questions.map((question) => {
    const choices = question.type === 'choice' ? `: one of ${joinWords(question.choices.map((choice) => `“${escapeInline(choice)}”`))}` : '';
    const help = question.help === undefined ? '' : ` — ${escapeInline(question.help)}`;
    return `${escapeInline(question.label)} (${question.required ? 'required' : 'optional'})${choices}${help}`;
  });
  return section(3, 'What to Include in a Report', ['Please include the following in your report:', bulletList([...standard, ...extra])]);
}

function whatToExpect(policy: Policy): string {
  const targets = policy.response_targets;
  const stageLine = (stage: TargetStage) => {
    const target = targets[stage];
    return target === undefined ? undefined : `**${targetStageLabels[stage]}**: ${describeTargetWithNote(target)}`;
  };
  const lines = [stageLine('acknowledgement'), stageLine('initial_assessment'), stageLine('status_update'), ...fixLines(policy), stageLine('general_questions')];
  const timeline = bulletList(lines.filter((line): line is string => line !== undefined));
  const process = policy.response_process.length === 0 ? undefined : `After you report a vulnerability:\n\n${numberedList(policy.response_process)}`;
  return section(2, 'What to Expect', [process, `Our response targets:\n\n${timeline}`, businessDaysNote(policy)]);
}

/** Severities sharing a target share a line: "Fix for medium and low severity". */
function fixLines(policy: Policy): string[] {
  const fix = policy.response_targets.fix;
  if (fix === undefined) return [];
  const groups: Array<{ severities: Severity[]; target: ResponseTarget }> = [];
  for (const severity of severities) {
    const target = fix[severity];
    if (target === undefined) continue;
    const group = groups.find((candidate) => sameTarget(candidate.target, target));
    if (group === undefined) groups.push({ severities: [severity], target });
    else group.severities.push(severity);
  }
  return groups.map(({ severities: covered, target }) => {
    const who = covered.length === severities.length ? 'a confirmed vulnerability (any severity)' : `${joinWords(covered.map((severity) => severityLabels[severity].toLowerCase()))} severity`;
    return `**Fix for ${who}**: ${describeTargetWithNote(target)}`;
  });
}

/** Only said when a business-day target exists: otherwise the calendar is irrelevant to the reader. */
function businessDaysNote(policy: Policy): string | undefined {
  const targets = policy.response_targets;
  const all: Array<ResponseTarget | undefined> = [
    targets.acknowledgement,
    targets.initial_assessment,
    targets.status_update,
    targets.general_questions,
    ...severities.map((severity) => targets.fix?.[severity]),
  ];
  const usesBusinessDays = all.some(
    (target) => (target?.kind === 'duration' && target.business) || (target?.kind === 'range' && target.max.business),
  );
  if (!usesBusinessDays) return undefined;
  const { weekdays, holidays } = targets.business_days;
  const holidayText = holidays.length === 0 ? '' : `, except on ${joinWords(holidays)}`;
  return `Business days are ${describeWeekdays(weekdays)} in the ${targets.timezone} time zone${holidayText}.`;
}
