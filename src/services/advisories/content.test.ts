import { describe, expect, it } from 'vitest';
import { consentedCredits, creditProblems, severityFrom, versionProblems } from './content.ts';

const reporters = [
  { humanId: 'PAYQI-2026-0001', mode: 'named' as const, name: 'Ada Researcher' },
  { humanId: 'PAYQI-2026-0002', mode: 'anonymous' as const, name: null },
  { humanId: 'PAYQI-2026-0003', mode: 'none' as const, name: null },
];

describe('advisory content rules', () => {
  it('credits only reporters who asked to be named, as REPORTER', () => {
    expect(consentedCredits(reporters)).toEqual([{ name: 'Ada Researcher', type: 'REPORTER' }]);
  });

  it('refuses REPORTER credits nobody consented to, but leaves the team\'s own credits alone', () => {
    const credits = [
      { name: 'Ada Researcher', type: 'REPORTER' as const },
      { name: 'Someone', type: 'REPORTER' as const },
      { name: 'Payqi Maintainers', type: 'REMEDIATION_DEVELOPER' as const },
    ];
    expect(creditProblems(credits, reporters, 'body.credits')).toEqual([{ path: 'body.credits[1].name', message: expect.any(String) }]);
    expect(creditProblems(credits, [], 'body.credits')).toEqual([]);
  });

  it('scores vectors itself and rates from CVSS 4.0 first', () => {
    const severity = severityFrom({ cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', cvss40: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N' }, 'body.severity');
    expect(severity).toMatchObject({ cvss31: { score: 7.5 }, rating: 'medium' });
    expect(() => severityFrom({ cvss31: 'CVSS:3.1/AV:N' }, 'body.severity')).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'body.severity.cvss31' })] }));
    expect(severityFrom({ rating: 'low' }, 'body.severity')).toEqual({ cvss31: undefined, cvss40: undefined, rating: 'low' });
  });

  it('checks version strings per range type', () => {
    const problems = versionProblems(
      [
        { ecosystem: 'npm', name: 'a', ranges: [{ type: 'SEMVER', introduced: '0', fixed: 'v1.x' }] },
        { ecosystem: 'PyPI', name: 'b', ranges: [{ type: 'ECOSYSTEM', introduced: '1.0rc1', fixed: '1.0' }] },
        { ecosystem: 'npm', name: 'c', ranges: [{ type: 'GIT', introduced: '0', fixed: 'abc1234', lastAffected: 'def5678' }] },
      ],
      'body.affected',
    );
    expect(problems.map((p) => p.path)).toEqual(['body.affected[0].ranges[0].fixed', 'body.affected[2].ranges[0].lastAffected', 'body.affected[2].ranges[0].repo']);
  });
});
