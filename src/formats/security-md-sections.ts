/** The SECURITY.md sections after the timeline: disclosure, credit and everything informational. */
import type { Policy } from '../domain/policy/schema.ts';
import { describeCredit } from '../domain/policy/describe.ts';
import { formatDuration } from '../domain/policy/targets.ts';
import { bulletList, escapeInline, link, numberedList, section, table } from './markdown.ts';
import type { SecurityMdOptions } from './security-md.ts';

export function laterSections(policy: Policy, opts: SecurityMdOptions): Array<string | undefined> {
  return [
    disclosure(policy, opts),
    credit(policy),
    scope(policy),
    bugBounty(policy),
    securityFeatures(policy),
    ...policy.extra_sections.map((extra) => section(2, extra.title, [extra.body])),
    acknowledgements(policy),
    changeLog(policy),
  ];
}

function disclosure(policy: Policy, opts: SecurityMdOptions): string | undefined {
  const { embargo, max_extension: maxExtension, reporter_consulted: consulted, disclose_after_fix: afterFix, steps, advisory_channels: channels } = policy.disclosure;
  const statements = [
    afterFix === true ? 'We do not disclose a vulnerability publicly until a fix is available.' : undefined,
    afterFix === false ? 'Disclosure does not wait for a fix: details are published when the embargo ends, fixed or not.' : undefined,
    consulted === true ? 'We coordinate the timing of public disclosure with the reporter.' : undefined,
    consulted === false ? 'We set the disclosure date ourselves and tell the reporter in advance.' : undefined,
    embargo === undefined ? undefined : `By default, vulnerability details stay under embargo for ${formatDuration(embargo)} after the report.`,
    maxExtension === undefined ? undefined : `The embargo can be extended by at most ${formatDuration(maxExtension)}.`,
  ].filter((line): line is string => line !== undefined);
  const blocks = [
    statements.length === 0 ? undefined : bulletList(statements),
    steps.length === 0 ? undefined : `Our disclosure process:\n\n${numberedList(steps)}`,
    channels.length === 0 ? undefined : `Security advisories are published through:\n\n${bulletList(channels.map(escapeInline))}`,
    opts.advisoriesUrl === undefined ? undefined : `Published advisories: ${link(opts.advisoriesUrl, opts.advisoriesUrl)}`,
  ];
  if (blocks.every((block) => block === undefined)) return undefined;
  return section(2, 'Disclosure Policy', blocks);
}

function credit(policy: Policy): string | undefined {
  const rule = policy.disclosure.credit;
  if (rule === undefined) return undefined;
  const anonymity =
    rule.anonymous_allowed === undefined
      ? undefined
      : rule.anonymous_allowed
        ? 'Anonymous reports are welcome.'
        : 'We cannot accept anonymous reports: please include a way to reach you.';
  return section(2, 'Credit', [describeCredit(rule), anonymity]);
}

function scope(policy: Policy): string | undefined {
  const { in: inScope, out } = policy.scope;
  if (inScope.length === 0 && out.length === 0) return undefined;
  return section(2, 'Scope', [
    inScope.length === 0 ? undefined : section(3, 'In Scope', [bulletList(inScope)]),
    out.length === 0 ? undefined : section(3, 'Out of Scope', [bulletList(out)]),
  ]);
}

function bugBounty(policy: Policy): string | undefined {
  const bounty = policy.bug_bounty;
  if (bounty === undefined) return undefined;
  const fallback = bounty.offered ? 'We run a bug bounty programme.' : 'We do not currently offer a bug bounty.';
  return section(2, 'Bug Bounty', [bounty.statement ?? fallback, bounty.url === undefined ? undefined : `Programme details: ${link(bounty.url, bounty.url)}`]);
}

function securityFeatures(policy: Policy): string | undefined {
  const features = policy.security_features;
  if (features === undefined) return undefined;
  const groups = features.groups.map((group) =>
    group.heading === undefined ? bulletList(group.items) : section(3, group.heading, [bulletList(group.items)]),
  );
  return section(2, 'Security Features', [features.intro, ...groups]);
}

function acknowledgements(policy: Policy): string | undefined {
  const acks = policy.acknowledgements;
  if (acks === undefined) return undefined;
  const entries = acks.entries.map((entry) => {
    const name = entry.url === undefined ? escapeInline(entry.name) : link(entry.name, entry.url);
    const extras = [entry.date, entry.note].filter((extra): extra is string => extra !== undefined).map(escapeInline);
    return extras.length === 0 ? name : `${name} — ${extras.join(' — ')}`;
  });
  return section(2, 'Acknowledgements', [acks.statement, entries.length === 0 ? undefined : bulletList(entries)]);
}

function changeLog(policy: Policy): string | undefined {
  if (policy.change_log.length === 0) return undefined;
  return section(2, 'Change Log', [table(['Date', 'Description'], policy.change_log.map((entry) => [entry.date, entry.description]))]);
}

export function closingLines(policy: Policy): string | undefined {
  const dates = [
    policy.last_updated === undefined ? undefined : `Last updated: ${policy.last_updated}.`,
    policy.next_review === undefined ? undefined : `Next review: ${policy.next_review}.`,
  ].filter((line): line is string => line !== undefined);
  const blocks = [dates.length === 0 ? undefined : dates.join(' '), policy.footer].filter((block): block is string => block !== undefined);
  return blocks.length === 0 ? undefined : ['---', ...blocks].join('\n\n');
}
