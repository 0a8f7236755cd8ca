import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintPolicyYaml } from '../../src/domain/policy/parse.ts';
import { checkContent } from '../../src/services/advisories/content.ts';
import type { AdvisoryContent } from '../../src/storage/schema-advisories.ts';
import { advisoryBody } from '../support/advisories.ts';
import { OWNER_EMAIL, OWNER_PASSWORD, accountsHarness } from '../support/accounts.ts';
import { databaseKinds } from '../support/databases.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { validReport } from '../support/reports.ts';

/** A YAML "billion laughs": nine levels of aliases, each ten times the one before. */
function billionLaughs(): string {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level < 9; level += 1) {
    const name = String.fromCharCode(97 + level);
    const previous = `*${String.fromCharCode(96 + level)}`;
    lines.push(`${name}: &${name} [${Array(10).fill(previous).join(', ')}]`);
  }
  return lines.join('\n');
}

/** Each problem the fuzzer (test/fuzz/api.test.ts) found, pinned by the smallest request that showed it. */
describe('fuzzing findings stay fixed', () => {
  it('reports an alias without its anchor and an alias bomb as policy problems, not crashes', () => {
    expect(lintPolicyYaml('*x%$~%Id#02')).toEqual({ ok: false, details: [{ path: '(root)', message: expect.stringMatching(/^Unresolved alias/) }] });
    expect(lintPolicyYaml(billionLaughs())).toEqual({ ok: false, details: [{ path: '(root)', message: expect.stringMatching(/alias count/) }] });
  });

  it('refuses NUL in a policy (raw or as a YAML "\\0" escape) and in advisory content, which PostgreSQL cannot store', async () => {
    const policy = (await examplePolicyExpiringIn('payqi')).text;
    expect(lintPolicyYaml(policy.replace('name: PayQI', 'name: "Pay\\0QI"'))).toEqual({ ok: false, details: [{ path: 'project.name', message: 'Must not contain the NUL character (U+0000)' }] });
    expect(lintPolicyYaml(`${policy}\n# \u0000`)).toMatchObject({ ok: false });
    // An advisory imported from a file (`embargo advisory import`) meets the same check as one written over HTTP.
    const content = { ...advisoryBody, details: 'a\u0000b', credits: [] } as unknown as AdvisoryContent;
    expect(() => checkContent(content, [], 'document')).toThrow(expect.objectContaining({ code: 'validation_failed', details: [{ path: 'document.details', message: 'contains the NUL character (U+0000)' }] }));
  });

  describe.each(databaseKinds)('over HTTP on %s', (kind) => {
    let h: Awaited<ReturnType<typeof accountsHarness>>;
    beforeAll(async () => {
      h = await accountsHarness(kind, { start: new Date() });
      await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn('payqi')).text } });
    });
    afterAll(() => h?.close());

    it('answers a malformed percent-encoding in the path in the API error shape', async () => {
      const response = await h.app.inject({ method: 'PATCH', url: '/api/v1/users/%', headers: h.ownerAuth });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: { code: 'validation_failed', message: 'the URL is not valid', details: [{ path: 'url', message: 'has a malformed percent-encoding' }] } });
      expect(response.body).not.toMatch(/FST_/);
      expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    });

    it('treats a project slug or advisory id with a NUL byte as no such object (PostgreSQL refuses NUL in text)', async () => {
      for (const url of ['/api/v1/projects/%00/advisories/drafts', '/api/v1/projects/pay%00qi/webhooks', '/api/v1/advisories/a%00b', '/api/v1/projects/payqi%00/members']) {
        const response = await h.app.inject({ method: 'GET', url, headers: h.ownerAuth });
        expect(response.statusCode, url).toBe(404);
        expect(response.json().error.code).toBe('not_found');
      }
      for (const url of ['/p/%00/advisories/PAYQI-2026-0001.osv.json', '/api/v1/projects/%00/advisories/PAYQI-2026-0001']) {
        const response = await h.app.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(400);
        expect(response.json().error.details).toEqual([{ path: 'params.slug', message: 'is not a project slug' }]);
      }
    });

    it('refuses NUL in any text of a request with its field path, before it reaches PostgreSQL', async () => {
      const report = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: validReport })).json<{ id: string }>();
      const cases: Array<[string, string, object, string]> = [
        ['PATCH', `/api/v1/reports/${report.id}/assessment`, { labels: ['a\u0000b'] }, 'body.labels[0]'],
        ['PATCH', `/api/v1/reports/${report.id}/assessment`, { affected: [{ ecosystem: 'npm', package: 'a\u0000b', ranges: [{ introduced: '1.0' }] }] }, 'body.affected[0].package'],
        ['POST', `/api/v1/reports/${report.id}/actions`, { type: 'close', resolution: 'duplicate', duplicateOf: 'a\u0000b' }, 'body.duplicateOf'],
        ['POST', '/api/v1/projects/payqi/advisories', { ...advisoryBody, reportIds: ['a\u0000b'] }, 'body.reportIds[0]'],
        ['POST', '/api/v1/projects/payqi/advisories', { ...advisoryBody, details: 'x \u0000' }, 'body.details'],
        ['POST', '/api/v1/projects/payqi/reports', { ...validReport, title: 'a\u0000b' }, 'body.title'],
      ];
      for (const [method, url, payload, path] of cases) {
        const response = await h.app.inject({ method: method as 'POST', url, headers: h.ownerAuth, payload });
        expect(response.statusCode, `${url} ${path}`).toBe(400);
        expect(response.json().error.details).toEqual([{ path, message: 'contains the NUL character (U+0000)' }]);
      }
      const query = await h.app.inject({ method: 'GET', url: '/api/v1/reports?q=ab%00', headers: h.ownerAuth });
      expect(query.statusCode).toBe(400);
      expect(query.json().error.details).toEqual([{ path: 'querystring.q', message: 'contains the NUL character (U+0000)' }]);
      const policy = (await examplePolicyExpiringIn('payqi')).text.replace('name: PayQI', 'name: "Pay\\0QI"');
      const updated = await h.app.inject({ method: 'PUT', url: '/api/v1/projects/payqi/policy', headers: h.ownerAuth, payload: { policy } });
      expect(updated.statusCode).toBe(400);
      expect(updated.json().error).toMatchObject({ code: 'invalid_policy', details: [{ path: 'project.name' }] });
    });

    it('refuses a body nested deeper than any document, even on a route that reads no body', async () => {
      const session = await h.browserLogin(OWNER_EMAIL, OWNER_PASSWORD);
      const deep = `${'['.repeat(60_000)}${']'.repeat(60_000)}`;
      const response = await h.app.inject({ method: 'DELETE', url: `/api/v1/account/sessions/${randomUUID()}`, headers: { ...session.headers, 'content-type': 'application/json' }, payload: deep });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: `body${'[0]'.repeat(64)}`, message: 'is nested too deeply' }] });
    });

    it('refuses a policy update whose YAML has a dangling alias with invalid_policy', async () => {
      const response = await h.app.inject({ method: 'PUT', url: '/api/v1/projects/payqi/policy', headers: h.ownerAuth, payload: { policy: '*x%$~%Id#02' } });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('invalid_policy');
    });
  });
});
