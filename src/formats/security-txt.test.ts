import { describe, expect, it } from 'vitest';
import { EmbargoError } from '../errors.ts';
import { parsePolicyYaml } from '../domain/policy/parse.ts';
import { editYaml, minimalPolicyYaml, policyYamlWith } from '../domain/policy/test-fixtures.ts';
import { parseSecurityTxt, renderSecurityTxt } from './security-txt.ts';

const now = new Date('2026-11-23T12:00:00Z');

function thrownBy(action: () => unknown): EmbargoError {
  try {
    action();
  } catch (error) {
    if (error instanceof EmbargoError) return error;
    throw error;
  }
  throw new Error('expected an EmbargoError');
}

describe('renderSecurityTxt', () => {
  it('renders a minimal file that follows RFC 9116', () => {
    const text = renderSecurityTxt(parsePolicyYaml(minimalPolicyYaml), { now });
    expect(text).toContain('Contact: mailto:security@acme.example\nExpires: 2027-05-01T00:00:00.000Z\n');
    expect(parseSecurityTxt(text, { now }).errors).toEqual([]);
  });

  it('renders every field, contacts in order, and still validates', () => {
    const yaml = editYaml(
      policyYamlWith(`
encryption: { key_url: https://acme.example/key.asc, fingerprint: 5F2DE5521C63A801AB59CCB603D49DE44B29100F }
preferred_languages: [en, de]
`),
      '  expires: 2027-05-01T00:00:00Z\n',
      `  expires: 2027-05-01T00:00:00Z
  canonical: [https://acme.example/.well-known/security.txt]
  policy: https://acme.example/security
  hiring: https://acme.example/jobs
  acknowledgments: https://acme.example/thanks
`,
    );
    const withFormFirst = editYaml(yaml, 'contacts:\n', 'contacts:\n  - kind: web_form\n    url: https://acme.example/report\n');
    const text = renderSecurityTxt(parsePolicyYaml(withFormFirst), {
      now,
      canonicalUrl: 'https://embargo.example/p/acme-widget/security.txt',
      policyUrl: 'https://embargo.example/ignored-because-the-policy-has-one',
    });
    const report = parseSecurityTxt(text, { now });
    expect(report.errors).toEqual([]);
    expect(report.fields.map((field) => `${field.name}: ${field.value}`)).toEqual([
      'Contact: https://acme.example/report',
      'Contact: mailto:security@acme.example',
      'Expires: 2027-05-01T00:00:00.000Z',
      'Encryption: https://acme.example/key.asc',
      'Encryption: openpgp4fpr:5f2de5521c63a801ab59ccb603d49de44b29100f',
      'Acknowledgments: https://acme.example/thanks',
      'Preferred-Languages: en, de',
      'Canonical: https://acme.example/.well-known/security.txt',
      'Canonical: https://embargo.example/p/acme-widget/security.txt',
      'Policy: https://acme.example/security',
      'Hiring: https://acme.example/jobs',
    ]);
  });

  it('uses the option URLs when the policy has none', () => {
    const yaml = policyYamlWith('encryption:\n  public_key: "-----BEGIN PGP PUBLIC KEY BLOCK-----\\n\\nxjMEZ\\n-----END PGP PUBLIC KEY BLOCK-----"');
    const text = renderSecurityTxt(parsePolicyYaml(yaml), {
      now,
      policyUrl: 'https://embargo.example/p/acme-widget/SECURITY.md',
      encryptionUrl: 'https://embargo.example/p/acme-widget/pgp-key.asc',
    });
    expect(text).toContain('Policy: https://embargo.example/p/acme-widget/SECURITY.md\n');
    expect(text).toContain('Encryption: https://embargo.example/p/acme-widget/pgp-key.asc\n');
  });

  it('replaces the contacts when asked to', () => {
    const text = renderSecurityTxt(parsePolicyYaml(minimalPolicyYaml), {
      now,
      contactsOverride: [{ kind: 'web_form', url: 'https://embargo.example/report' }],
    });
    expect(parseSecurityTxt(text).fields.filter((field) => field.name === 'Contact').map((field) => field.value)).toEqual([
      'https://embargo.example/report',
    ]);
    const invalid = thrownBy(() => renderSecurityTxt(parsePolicyYaml(minimalPolicyYaml), { now, contactsOverride: [{ kind: 'web_form', url: 'http://x.example' }] }));
    expect(invalid.details[0]?.path).toBe('contactsOverride[0].url');
  });

  it('refuses an expired file', () => {
    const error = thrownBy(() => renderSecurityTxt(parsePolicyYaml(minimalPolicyYaml), { now: new Date('2027-05-01T00:00:00Z') }));
    expect(error.code).toBe('security_txt_expired');
    expect(error.details[0]?.path).toBe('security_txt.expires');
  });

  it('refuses an expiry more than a year ahead', () => {
    const yaml = editYaml(minimalPolicyYaml, 'expires: 2027-05-01T00:00:00Z', 'expires: 2027-11-24T00:00:00Z');
    const error = thrownBy(() => renderSecurityTxt(parsePolicyYaml(yaml), { now }));
    expect(error.code).toBe('invalid_policy');
    expect(error.details[0]?.path).toBe('security_txt.expires');
    expect(() => renderSecurityTxt(parsePolicyYaml(yaml), { now: new Date('2026-11-24T00:00:00Z') })).not.toThrow();
  });

  it('refuses non-https option URLs', () => {
    const error = thrownBy(() => renderSecurityTxt(parsePolicyYaml(minimalPolicyYaml), { now, canonicalUrl: 'http://embargo.example/security.txt' }));
    expect(error.code).toBe('validation_failed');
    expect(error.details[0]?.path).toBe('canonicalUrl');
  });
});

describe('parseSecurityTxt', () => {
  const valid = 'Contact: mailto:a@example.org\nExpires: 2027-01-01T00:00:00Z\n';

  it('accepts a valid file with comments and CRLF line ends', () => {
    expect(parseSecurityTxt(`# hello\r\n${valid.replace(/\n/g, '\r\n')}`).errors).toEqual([]);
  });

  it.each([
    ['no Contact', 'Expires: 2027-01-01T00:00:00Z\n', /At least one Contact/],
    ['no Expires', 'Contact: mailto:a@example.org\n', /Expires must appear exactly once \(found 0\)/],
    ['two Expires', `${valid}Expires: 2027-02-01T00:00:00Z\n`, /exactly once \(found 2\)/],
    ['two Preferred-Languages', `${valid}Preferred-Languages: en\nPreferred-Languages: de\n`, /Preferred-Languages must not appear more than once/],
    ['an http URI', `${valid}Policy: http://example.org/policy\n`, /Policy.*https:/],
    ['an unknown field', `${valid}Contcat: mailto:b@example.org\n`, /unknown field "Contcat"/],
    ['a malformed Expires', 'Contact: mailto:a@example.org\nExpires: 1 January 2027\n', /not an RFC 3339/],
    ['a bad language tag', `${valid}Preferred-Languages: en, not a tag\n`, /"not a tag" is not a language tag/],
    ['a line that is not a field', `${valid}just text\n`, /neither a field nor a comment/],
    ['a missing final line break', valid.trimEnd(), /last line must end/],
  ])('rejects %s', (_case, text, expected) => {
    expect(parseSecurityTxt(text).errors.join('\n')).toMatch(expected);
  });

  it('rejects an expired file when given the time', () => {
    expect(parseSecurityTxt(valid, { now: new Date('2027-06-01T00:00:00Z') }).errors).toEqual(['Line 2 (Expires): the file has expired']);
  });
});
