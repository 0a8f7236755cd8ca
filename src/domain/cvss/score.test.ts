import { describe, expect, it } from 'vitest';
import { ratingOf, scoreVector } from './score.ts';

describe('CVSS scoring', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical'],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L', 5.6, 'medium'],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N', 0, 'none'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'critical'],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 4.8, 'medium'],
  ])('scores %s as %s (%s)', (vector, score, rating) => {
    expect(scoreVector(vector)).toEqual({ ok: true, score: { version: vector.slice(5, 8), vector, score, rating } });
  });

  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', /missing base metric A/],
    ['CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H', /missing base metrics AT, SC, SI, SA/],
    ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /AV:X is not a valid value/],
    ['CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /AV is given twice/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:Q', /ZZ is not a CVSS 3.1 metric/],
    ['CVSS:2.0/AV:N', /must start with CVSS:3.1\/ or CVSS:4.0\//],
    ['AV:N/AC:L', /must start with/],
  ])('refuses %s instead of scoring it 0', (vector, message) => {
    const result = scoreVector(vector, 'body.cvss31');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0]!.path).toBe('body.cvss31');
      expect(result.problems.map((p) => p.message).join('; ')).toMatch(message);
    }
  });

  it('rates scores on the FIRST scale', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(ratingOf)).toEqual(['none', 'low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
  });
});
