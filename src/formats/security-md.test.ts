import { describe, expect, it } from 'vitest';
import { parsePolicyYaml } from '../domain/policy/parse.ts';
import { editYaml, minimalPolicyYaml, policyYamlWith } from '../domain/policy/test-fixtures.ts';
import { renderSecurityMd } from './security-md.ts';
import { escapeInline } from './markdown.ts';

const render = (yaml: string, opts = {}) => renderSecurityMd(parsePolicyYaml(yaml), opts);

describe('renderSecurityMd', () => {
  it('renders the sections every policy has', () => {
    const markdown = render(minimalPolicyYaml);
    expect(markdown).toMatch(/^# Acme Widget Security Policy\n/);
    expect(markdown).toContain('| 2.x | ✅ Yes |');
    expect(markdown).toMatch(/do not report security vulnerabilities through public issues/i);
    expect(markdown).toContain('[security@acme.example](mailto:security@acme.example)');
    expect(markdown).toContain('**Acknowledgement of your report**: within 48 hours');
    expect(markdown).toContain('- Description of the vulnerability (required)');
    expect(markdown.endsWith('\n')).toBe(true);
  });

  it('leaves out what the policy does not say', () => {
    const markdown = render(minimalPolicyYaml);
    for (const heading of ['## Disclosure Policy', '## Credit', '## Scope', '## Bug Bounty', '### Encryption', '## Change Log', 'Business days']) {
      expect(markdown).not.toContain(heading);
    }
  });

  it('escapes Markdown in table cells so a label cannot break the table', () => {
    const yaml = editYaml(minimalPolicyYaml, 'label: 2.x', 'label: "2.x | *beta* <b>"');
    expect(render(yaml)).toContain('| 2.x \\| \\*beta\\* \\<b\\> | ✅ Yes |');
    expect(escapeInline('a\nb_c')).toBe('a b\\_c');
  });

  it('lists contacts in order, with the report form first unless already listed', () => {
    const yaml = editYaml(
      minimalPolicyYaml,
      '    address: security@acme.example\n',
      '    address: security@acme.example\n    label: Security Team\n  - kind: link\n    url: https://acme.example/contact\n    note: backup\n',
    );
    const markdown = render(yaml, { reportUrl: 'https://embargo.example/p/acme-widget/report' });
    const order = ['**Secure report form**', '**Security Team**', '**Contact**: [https://acme.example/contact](https://acme.example/contact) (backup)'].map((text) =>
      markdown.indexOf(text),
    );
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(render(yaml, { reportUrl: 'https://acme.example/contact' })).not.toContain('Secure report form');
  });

  it('renders encryption, disclosure, credit, scope and bounty', () => {
    const markdown = render(
      policyYamlWith(`
encryption:
  key_url: https://acme.example/key.asc
  fingerprint: 5f2de5521c63a801ab59ccb603d49de44b29100f
disclosure:
  embargo: 90d
  max_extension: 14 days
  reporter_consulted: false
  disclose_after_fix: false
  steps: [Fix it, Publish it]
  advisory_channels: [GitHub Security Advisories]
  credit: { default: credited_with_permission, anonymous_allowed: true, where: [advisories] }
scope: { in: [The core library], out: [Example apps] }
bug_bounty: { offered: true, url: https://bounty.example/acme }
`),
      { advisoriesUrl: 'https://embargo.example/p/acme-widget/advisories' },
    );
    expect(markdown).toContain('Encrypt your report with our OpenPGP key: [https://acme.example/key.asc](https://acme.example/key.asc)');
    expect(markdown).toContain('Key fingerprint: `5F2DE5521C63A801AB59CCB603D49DE44B29100F`');
    expect(markdown).toContain('under embargo for 90 days after the report');
    expect(markdown).toContain('extended by at most 14 days');
    expect(markdown).toContain('Disclosure does not wait for a fix');
    expect(markdown).toContain('We set the disclosure date ourselves');
    expect(markdown).toContain('1. Fix it\n2. Publish it');
    expect(markdown).toContain('- GitHub Security Advisories');
    expect(markdown).toContain('Published advisories: [https://embargo.example/p/acme-widget/advisories]');
    expect(markdown).toContain('With your permission, we credit you in advisories.');
    expect(markdown).toContain('Anonymous reports are welcome.');
    expect(markdown).toMatch(/### In Scope\n\n- The core library\n\n### Out of Scope\n\n- Example apps/);
    expect(markdown).toContain('We run a bug bounty programme.');
  });

  it('groups severities that share a fix target and explains business days', () => {
    const yaml = editYaml(
      minimalPolicyYaml,
      'acknowledgement: 48h',
      'acknowledgement: 2bd\n  timezone: Europe/Berlin\n  business_days: { holidays: [2026-12-25] }\n  fix: { critical: 7d, high: 7d, medium: next_release, low: next_release }',
    );
    const markdown = render(yaml);
    expect(markdown).toContain('**Fix for critical and high severity**: within 7 days');
    expect(markdown).toContain('**Fix for medium and low severity**: in the next regular release');
    expect(markdown).toContain('Business days are Monday to Friday in the Europe/Berlin time zone, except on 2026-12-25.');
  });

  it('shows hidden report fields nowhere and lists extra questions', () => {
    const markdown = render(
      policyYamlWith(`
report_form:
  fields: { impact: required, credit_name: hidden }
  extra_questions:
    - { id: component, label: Affected component, type: choice, choices: [API, CLI], required: true }
`),
    );
    expect(markdown).toContain('- Potential impact of the vulnerability (required)');
    expect(markdown).not.toContain('name or handle');
    expect(markdown).toContain('- Affected component (required): one of “API” and “CLI”');
  });

  it('renders the embedded public key, extra sections, change log and closing lines', () => {
    const key = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZabc\n-----END PGP PUBLIC KEY BLOCK-----';
    const markdown = render(
      policyYamlWith(`
encryption:
  public_key: ${JSON.stringify(key)}
extra_sections:
  - { title: Compliance, body: "We follow **ISO 27001**." }
change_log:
  - { date: 2026-01-02, description: First version }
last_updated: 2026-01
footer: Thanks!
`),
    );
    expect(markdown).toContain(`\`\`\`text\n${key}\n\`\`\``);
    expect(markdown).toContain('## Compliance\n\nWe follow **ISO 27001**.');
    expect(markdown).toContain('| 2026-01-02 | First version |');
    expect(markdown).toMatch(/---\n\nLast updated: 2026-01\.\n\nThanks!\n$/);
  });
});
