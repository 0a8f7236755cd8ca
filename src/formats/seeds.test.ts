/**
 * The five example policies were written from real SECURITY.md files (the
 * "seeds"). Each must render a SECURITY.md that still states every fact of its
 * seed, and a valid security.txt. The facts below were taken from the seeds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicyYaml, serializePolicyYaml } from '../domain/policy/parse.ts';
import { parseSecurityTxt, renderSecurityTxt } from './security-txt.ts';
import { renderSecurityMd } from './security-md.ts';

const examplesDir = new URL('../../examples/policies/', import.meta.url);
/** Before every example's security_txt.expires, and less than a year before it. */
const now = new Date('2026-11-23T00:00:00Z');

interface Seed {
  /** The SECURITY.md the policy was written from (outside this repository). */
  seed: string;
  policyFile: string;
  /** Contact URIs expected in security.txt, in order. */
  contacts: string[];
  /** Facts the rendered SECURITY.md must state. */
  facts: RegExp[];
}

const commonFacts = [/do not report security vulnerabilities through public issues/i, /- Description of the vulnerability \(required\)/];

const seeds: Seed[] = [
  {
    seed: '/work/shared/seeds/000_8b0a739979a925a9.md',
    policyFile: 'peyghom.yaml',
    contacts: ['mailto:hadibakhshi277@gmail.com'],
    facts: [
      /\[hadibakhshi277@gmail\.com\]\(mailto:hadibakhshi277@gmail\.com\)/,
      /encrypt your message with our PGP key \(available upon request\)/,
      /\| 1\.x\.x \| ✅ Yes \|\n\| \\< 1\.0 \| ❌ No \|/,
      /Only the latest major version of Peyghom receives security updates\. We recommend using the most recent version\./,
      /- Steps to reproduce the issue \(required\)/,
      /- Potential impact of the vulnerability \(required\)/,
      /- Suggested fix or mitigation \(optional\)/,
      /- Your name or handle for the credit \(optional\)/,
      /Acknowledgement of your report\*\*: within 48 hours/,
      /\*\*Verification\*\*: Our team will work to verify the vulnerability and its impact/,
      /\*\*Remediation Plan\*\*: We'll develop a plan to address the vulnerability/,
      /\*\*Communication\*\*: We'll keep you informed about our progress/,
      /Fix for critical severity\*\*: as soon as possible/,
      /Fix for high severity\*\*: within 30 days/,
      /Fix for medium and low severity\*\*: in the next regular release/,
      /- Security advisories in the GitHub repository/,
      /For critical updates, notifications through other channels/,
      /1\. Fix the vulnerability as quickly as possible\n2\. Publish a security advisory through GitHub\n3\. Update the affected documentation/,
      /We credit reporters in security advisories, unless you ask to remain anonymous/,
      /does not operate a formal bug bounty program/,
      /\*\*End-to-End Encryption\*\*: Messages are encrypted/,
      /\*\*Audit Logging\*\*: Security-relevant events are logged/,
      /\*\*Docker Security\*\*: Follow Docker security best practices/,
      /\*\*Backups\*\*: Regularly backup data and test restoration processes/,
      /This section will be updated as security researchers contribute/,
      /\| 2025-05-01 \| Security Policy established \|/,
      /Last updated: 2025-05-01/,
      /inspired by industry best practices and may evolve over time/,
    ],
  },
  {
    seed: '/work/shared/seeds/001_60e8ee5a2879b212.md',
    policyFile: 'leher.yaml',
    contacts: ['mailto:security@leher.com', 'mailto:maintainer@leher.com'],
    facts: [
      /\| 1\.x\.x \| ✅ Yes \|\n\| \\< 1\.0 \| ❌ No \|/,
      /\*\*Security Team\*\*: \[security@leher\.com\]\(mailto:security@leher\.com\)/,
      /\*\*Project Maintainer\*\*: \[maintainer@leher\.com\]\(mailto:maintainer@leher\.com\)/,
      /- Steps to reproduce the issue \(required\)/,
      /- Potential impact of the vulnerability \(required\)/,
      /- Affected versions \(required\)/,
      /- Suggested fix or mitigation \(optional\)/,
      /Acknowledgement of your report\*\*: within 48 hours/,
      /Initial assessment\*\*: within 5 business days/,
      /Business days are Monday to Friday/,
      /We'll keep you updated on our progress/,
      /Fix for a confirmed vulnerability \(any severity\)\*\*: as soon as possible/,
      /\*\*Coordination\*\*: We coordinate with reporters on disclosure timing/,
      /\*\*Public disclosure\*\*: We publicly disclose after fixes are available/,
      /We coordinate the timing of public disclosure with the reporter/,
      /don't currently have a formal bug bounty program/,
      /### Authentication & Authorization\n\n- JWT-based authentication/,
      /- Intrusion detection/,
      /Enable two-factor authentication when available/,
      /Subscribing to security announcements/,
      /Automated dependency scanning/,
      /\*\*HIPAA\*\*: Health Insurance Portability and Accountability Act/,
      /\*\*ISO 27001\*\*: Information Security Management/,
      /6\. \*\*Lessons learned\*\*: Document and improve/,
      /\[OWASP Top 10\]\(https:\/\/owasp\.org\/www-project-top-ten\/\)/,
      /Last updated: 2025-09\. Next review: 2025-12\./,
    ],
  },
  {
    seed: '/work/shared/seeds/002_d9f578a7d20d4e4b.md',
    policyFile: 'peft-studio.yaml',
    contacts: ['https://github.com/peft-studio/peft-studio/security/advisories/new', 'https://github.com/peft-studio'],
    facts: [
      /\| 1\.x\.x \| ✅ Yes \|\n\| \\< 1\.0 \| ❌ No \|/,
      /\*\*GitHub Security Advisories\*\*: .*\(preferred\)/,
      /\*\*Email to the maintainers\*\*: .*GitHub profiles/,
      /- Suggested fix or mitigation \(optional\)/,
      /- Your contact information, so we can reach you \(required\)/,
      /Acknowledgement of your report\*\*: within 24 hours/,
      /Initial assessment\*\*: within 7 days \(detailed response with assessment\)/,
      /Fix for a confirmed vulnerability \(any severity\)\*\*: within 30 days \(fix released\)/,
      /With your permission, we credit you in release notes, security advisories and project documentation/,
      /Use `npm audit` and `pip-audit`/,
      /Use secure WebSocket connections/,
      /- Immediate hotfixes for critical issues/,
      /Open a GitHub Discussion/,
      /Thank you for helping keep PEFT Studio secure! 🔒/,
    ],
  },
  {
    seed: '/work/shared/seeds/003_45362f7aa8a6ba29.md',
    policyFile: 'payqi.yaml',
    contacts: ['https://github.com/sohamgherwada/PayQI/security/advisories/new'],
    facts: [
      /\| Latest \| ✅ Yes \|\n\| \\< Latest \| ❌ No \|/,
      /\[https:\/\/github\.com\/sohamgherwada\/PayQI\/security\/advisories\/new\]/,
      /- Suggested fix or mitigation \(optional\)/,
      /Acknowledgement of your report\*\*: within 48 hours/,
      /Status updates\*\*: within 7 days/,
      /typically within 30–90 days \(depends on severity\)/,
      /Regular updates on the status of the vulnerability/,
      /Credit in security advisories \(if desired\)/,
      /With your permission, we credit you in security advisories/,
      /Generate secure, random JWT secrets \(minimum 32 characters\)/,
      /safety check/,
      /Always verify webhook signatures/,
      /Watch this repository for security advisories/,
      /This is a public repository\. Do not include sensitive information/,
    ],
  },
  {
    seed: '/work/shared/seeds/004_a4ec0031e2bb276a.md',
    policyFile: 'example-web-api.yaml',
    contacts: ['mailto:security@example.com'],
    facts: [
      /\| 1\.0\.x \| ✅ Yes \|\n\| \\< 1\.0 \| ❌ No \|/,
      /\[security@example\.com\]\(mailto:security@example\.com\)/,
      /PGP key: available upon request/,
      /- Your contact information, so we can reach you \(required\)/,
      /Acknowledgement of your report\*\*: within 48 hours/,
      /Initial assessment\*\*: within 7 days/,
      /typically within 30 days \(we work to resolve it as quickly as possible\)/,
      /general security questions.*within 24 hours/,
      /We do not disclose a vulnerability publicly until a fix is available/,
      /We coordinate the timing of public disclosure with the reporter/,
      /We credit reporters in security advisories, unless you ask to remain anonymous/,
      /Account lockout after failed login attempts/,
      /SSL-required connections to PostgreSQL/,
      /- \[ \] Backup and recovery procedures are in place/,
      /\*\*OWASP ZAP\*\*: Web application security scanner/,
      /Follow our security mailing list/,
      /We thank the security researchers and community members/,
      /subject to the same license terms/,
    ],
  },
];

describe.each(seeds)('example policy $policyFile (from $seed)', ({ policyFile, contacts, facts }) => {
  const yaml = readFileSync(new URL(policyFile, examplesDir), 'utf8');
  const policy = parsePolicyYaml(yaml, policyFile);

  it('renders a SECURITY.md stating every fact of the seed', () => {
    const markdown = renderSecurityMd(policy, {});
    const missing = [...commonFacts, ...facts].filter((fact) => !fact.test(markdown));
    expect(missing).toEqual([]);
  });

  it('renders a valid security.txt with the contacts in order', () => {
    const report = parseSecurityTxt(renderSecurityTxt(policy, { now }), { now });
    expect(report.errors).toEqual([]);
    expect(report.fields.filter((field) => field.name === 'Contact').map((field) => field.value)).toEqual(contacts);
    expect(report.fields.find((field) => field.name === 'Preferred-Languages')?.value).toBe('en');
  });

  it('survives a serialise and parse round trip', () => {
    expect(parsePolicyYaml(serializePolicyYaml(policy))).toEqual(policy);
  });
});
