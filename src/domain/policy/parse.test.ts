import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EmbargoError } from '../../errors.ts';
import type { ErrorDetail } from '../../errors.ts';
import { lintPolicyYaml, parsePolicyYaml, serializePolicyYaml } from './parse.ts';
import { editYaml, minimalPolicyYaml, policyYamlWith } from './test-fixtures.ts';

/** Parses and returns the details of the expected `invalid_policy` error. */
function problemsOf(yaml: string): ErrorDetail[] {
  try {
    parsePolicyYaml(yaml, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(EmbargoError);
    expect((error as EmbargoError).code).toBe('invalid_policy');
    expect((error as EmbargoError).message).toMatch(/^test.yaml is not a valid security policy \(\d+ problems?\)$/);
    return (error as EmbargoError).details;
  }
  throw new Error('expected the policy to be rejected');
}

function problemAt(yaml: string, path: string): ErrorDetail {
  const details = problemsOf(yaml);
  const detail = details.find((candidate) => candidate.path === path);
  if (detail === undefined) throw new Error(`no problem at ${path}; got ${JSON.stringify(details)}`);
  return detail;
}

describe('parsePolicyYaml', () => {
  it('accepts the minimal policy and fills in defaults', () => {
    const policy = parsePolicyYaml(minimalPolicyYaml);
    expect(policy.project.slug).toBe('acme-widget');
    expect(policy.response_targets.acknowledgement).toEqual({ kind: 'duration', amount: 48, unit: 'hours', business: false, typical: false });
    expect(policy.response_targets.timezone).toBe('UTC');
    expect(policy.response_targets.business_days.weekdays).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(policy.report_form.fields.description).toBe('required');
    expect(policy.security_txt.expires).toBe('2027-05-01T00:00:00.000Z');
    expect(policy.disclosure.steps).toEqual([]);
  });

  it('reports YAML syntax errors at (root) with line and column', () => {
    const detail = problemAt(editYaml(minimalPolicyYaml, '  name: Acme Widget\n', '  name: [Acme Widget\n'), '(root)');
    expect(detail.message).toMatch(/line \d+, column \d+/);
  });

  it('reports duplicate keys as a YAML error with their line', () => {
    const detail = problemAt(editYaml(minimalPolicyYaml, '  name: Acme Widget\n', '  name: Acme Widget\n  name: Again\n'), '(root)');
    expect(detail.message).toMatch(/unique.*line 5, column 3/);
  });

  it('names an unknown key by its full path', () => {
    const detail = problemAt(editYaml(minimalPolicyYaml, '  name: Acme Widget\n', '  name: Acme Widget\n  homepag: https://acme.example\n'), 'project.homepag');
    expect(detail.message).toMatch(/Unknown key "homepag".*line 5/);
  });

  it('rejects an unknown key inside a target mapping', () => {
    const yaml = editYaml(minimalPolicyYaml, 'acknowledgement: 48h', 'acknowledgement: { target: 48h, notes: x }');
    expect(problemAt(yaml, 'response_targets.acknowledgement.notes').message).toBe('Unknown key "notes" (line 14, column 35)');
  });

  it('refuses http URLs', () => {
    const yaml = editYaml(minimalPolicyYaml, '  expires: 2027-05-01T00:00:00Z\n', '  expires: 2027-05-01T00:00:00Z\n  policy: http://acme.example/security\n');
    expect(problemAt(yaml, 'security_txt.policy').message).toMatch(/https/);
  });

  it('refuses an http web form contact', () => {
    const yaml = editYaml(minimalPolicyYaml, '  - kind: email\n    address: security@acme.example\n', '  - kind: web_form\n    url: http://acme.example/report\n');
    expect(problemAt(yaml, 'contacts[0].url').message).toMatch(/https/);
  });

  it('refuses a malformed semver range', () => {
    const yaml = editYaml(minimalPolicyYaml, 'range: 2.x', 'range: two point oh');
    expect(problemAt(yaml, 'supported_versions.rows[0].range').message).toMatch(/semver range/);
  });

  it('explains an unquoted number used as a range', () => {
    const yaml = editYaml(minimalPolicyYaml, 'range: 2.x', 'range: 2.0');
    expect(problemAt(yaml, 'supported_versions.rows[0].range').message).toMatch(/quote numbers/);
  });

  it('refuses a malformed duration with the path of the severity', () => {
    const yaml = editYaml(minimalPolicyYaml, 'acknowledgement: 48h', 'acknowledgement: 48h\n  fix:\n    critical: 2 fortnights');
    expect(problemAt(yaml, 'response_targets.fix.critical').message).toMatch(/"2 fortnights" is not a target/);
  });

  it('refuses a range whose max is not longer than its min', () => {
    const yaml = editYaml(minimalPolicyYaml, 'acknowledgement: 48h', 'acknowledgement: { min: 5d, max: 2d }');
    expect(problemAt(yaml, 'response_targets.acknowledgement.max').message).toMatch(/longer than min/);
  });

  it('refuses a range mixing calendar and business days', () => {
    const yaml = editYaml(minimalPolicyYaml, 'acknowledgement: 48h', 'acknowledgement: { min: 5d, max: 9 business days }');
    expect(problemAt(yaml, 'response_targets.acknowledgement.max').message).toMatch(/same unit/);
  });

  it('refuses a number where a target is expected', () => {
    const yaml = editYaml(minimalPolicyYaml, 'acknowledgement: 48h', 'acknowledgement: 48');
    expect(problemAt(yaml, 'response_targets.acknowledgement').message).toMatch(/Expected a target/);
  });

  it('refuses an unknown time zone and language tag', () => {
    const yaml = policyYamlWith('preferred_languages: [en, "not a tag"]');
    expect(problemAt(yaml, 'preferred_languages[1]').message).toMatch(/BCP 47/);
    const zoned = editYaml(minimalPolicyYaml, 'acknowledgement: 48h', 'acknowledgement: 48h\n  timezone: Mars/Olympus_Mons');
    expect(problemAt(zoned, 'response_targets.timezone').message).toMatch(/IANA/);
  });

  it('explains unquoted numbers in text fields', () => {
    const yaml = editYaml(minimalPolicyYaml, 'label: 2.x', 'label: 2.0');
    expect(problemAt(yaml, 'supported_versions.rows[0].label').message).toMatch(/^Expected text but found number; put values such as 1\.0 or yes in quotes/);
  });

  it('normalises time zones and language tags', () => {
    const yaml = editYaml(policyYamlWith('preferred_languages: [EN-us]'), 'acknowledgement: 48h', 'acknowledgement: 48h\n  timezone: utc');
    const policy = parsePolicyYaml(yaml);
    expect(policy.preferred_languages).toEqual(['en-US']);
    expect(policy.response_targets.timezone).toBe('UTC');
  });

  it('refuses a private key pasted as the public key', () => {
    const yaml = policyYamlWith('encryption:\n  public_key: "-----BEGIN PGP PRIVATE KEY BLOCK-----\\nabc\\n-----END PGP PRIVATE KEY BLOCK-----"');
    expect(problemAt(yaml, 'encryption.public_key').message).toMatch(/private key/);
  });

  it('refuses a slug with uppercase letters and a wrong format version', () => {
    const yaml = editYaml(editYaml(minimalPolicyYaml, 'slug: acme-widget', 'slug: Acme'), 'version: 1', 'version: 2');
    const paths = problemsOf(yaml).map((detail) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['project.slug', 'version']));
  });

  it('reports a missing required section at its parent', () => {
    const yaml = editYaml(minimalPolicyYaml, 'security_txt:\n  expires: 2027-05-01T00:00:00Z\n', '');
    expect(problemAt(yaml, 'security_txt').message).toMatch(/expected object/);
  });

  it('reports an empty document', () => {
    expect(problemAt('# nothing here\n', '(root)').message).toMatch(/empty/);
  });

  it('rejects duplicate extra question ids at the id', () => {
    const question = '    - { id: cvss, label: CVSS vector, type: text }\n';
    const yaml = policyYamlWith(`report_form:\n  extra_questions:\n${question}${question}`);
    expect(problemAt(yaml, 'report_form.extra_questions[1].id').message).toMatch(/Duplicate question id "cvss"/);
  });

  it('expands a default fix target to every severity', () => {
    const yaml = editYaml(minimalPolicyYaml, 'acknowledgement: 48h', 'acknowledgement: 48h\n  fix: { default: 30d, critical: asap }');
    const fix = parsePolicyYaml(yaml).response_targets.fix;
    expect(fix?.critical).toEqual({ kind: 'asap' });
    expect(fix?.low).toEqual({ kind: 'duration', amount: 30, unit: 'days', business: false, typical: false });
  });
});

describe('lintPolicyYaml', () => {
  it('returns the policy when valid and every detail when not', () => {
    expect(lintPolicyYaml(minimalPolicyYaml).ok).toBe(true);
    const broken = editYaml(editYaml(minimalPolicyYaml, 'range: 2.x', 'range: nope'), 'acknowledgement: 48h', 'acknowledgement: soon');
    const result = lintPolicyYaml(broken);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.details.map((detail) => detail.path)).toEqual(['supported_versions.rows[0].range', 'response_targets.acknowledgement']);
    }
  });
});

describe('serializePolicyYaml', () => {
  it('round-trips targets in all their written forms', () => {
    const yaml = editYaml(
      minimalPolicyYaml,
      'acknowledgement: 48h',
      [
        'acknowledgement: { target: 2 days, note: weekends included }',
        '  initial_assessment: 5bd',
        '  status_update: { target: 7d, typical: true }',
        '  fix: { critical: asap, high: { min: 30d, max: 90d }, medium: next_release, low: { target: next_release, note: or sooner } }',
      ].join('\n'),
    );
    const policy = parsePolicyYaml(yaml);
    const written = serializePolicyYaml(policy);
    expect(written).toContain('initial_assessment: 5 business days');
    expect(parsePolicyYaml(written)).toEqual(policy);
  });

  it('writes a uniform fix target once, as default', () => {
    const yaml = editYaml(minimalPolicyYaml, 'acknowledgement: 48h', 'acknowledgement: 48h\n  fix: { default: 30d }');
    expect(serializePolicyYaml(parsePolicyYaml(yaml))).toMatch(/fix:\n\s+default: 30 days\n/);
  });
});

describe.each(['docs/POLICY.md', 'README.md'])('%s', (file) => {
  it('contains a full example that is a valid policy', () => {
    const docs = readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8');
    const example = /<!-- full-example -->\s*```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    const policy = parsePolicyYaml(example ?? '', file);
    expect(policy.disclosure.embargo).toEqual({ kind: 'duration', amount: 90, unit: 'days', business: false });
  });
});
