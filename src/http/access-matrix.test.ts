import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER_EMAIL, OWNER_PASSWORD, accountsHarness } from '../../test/support/accounts.ts';
import { examplePolicyExpiringIn } from '../../test/support/policies.ts';
import { matrixPrincipals, routeExpectations, type MatrixPrincipal } from '../domain/access/route-expectations.ts';

const PROBE_STATUS = 299;
const PASSWORD = 'matrix test passphrase';

/**
 * Every registered route, for every kind of principal: allowed ones get past
 * access control (a probe hook then answers before any handler runs, so no
 * request changes anything), denied ones get 401 or 403.
 */
describe('authorization matrix', () => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  const credentials = {} as Record<MatrixPrincipal, Record<string, string>>;
  let reportId: string;
  let advisoryId: string;

  async function person(email: string, role: 'member' | 'admin', project?: { slug: string; role: string }) {
    await h.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: h.ownerAuth, payload: { email, role, ...(project ? { project } : {}) } });
    const accepted = await h.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token: await h.linkToken(email, '/invitation#token='), password: PASSWORD } });
    if (accepted.statusCode !== 201) throw new Error(accepted.body);
    const session = await h.browserLogin(email, PASSWORD);
    if (role === 'admin') {
      const { secret } = await h.enrolTotp(session.headers, PASSWORD);
      return (await h.browserLogin(email, PASSWORD, secret)).headers;
    }
    return session.headers;
  }

  beforeAll(async () => {
    h = await accountsHarness('pglite', {
      start: new Date(),
      beforeReady: (app) =>
        app.addHook('preParsing', async (request, reply) => {
          if (request.headers['x-matrix-probe']) return reply.code(PROBE_STATUS).send({ passedAccessControl: true });
        }),
    });
    for (const name of ['payqi', 'leher']) {
      await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn(name)).text } });
    }
    const ownerSession = await h.browserLogin(OWNER_EMAIL, OWNER_PASSWORD);
    const { secret } = await h.enrolTotp(ownerSession.headers, OWNER_PASSWORD);
    credentials.owner = (await h.browserLogin(OWNER_EMAIL, OWNER_PASSWORD, secret)).headers;
    credentials.anonymous = {};
    credentials.member = await person('member@example.org', 'member');
    credentials.viewer = await person('viewer@example.org', 'member', { slug: 'payqi', role: 'viewer' });
    credentials.triager = await person('triager@example.org', 'member', { slug: 'payqi', role: 'triager' });
    credentials.projectAdmin = await person('padmin@example.org', 'member', { slug: 'payqi', role: 'project_admin' });
    credentials.otherProjectAdmin = await person('other@example.org', 'member', { slug: 'leher', role: 'project_admin' });
    credentials.orgAdmin = await person('admin@example.org', 'admin');
    credentials.tokenWithScope = h.ownerAuth;
    const narrow = await h.app.inject({ method: 'POST', url: '/api/v1/account/tokens', headers: credentials.owner, payload: { name: 'narrow', scopes: ['advisories:read'] } });
    credentials.tokenWithoutScope = { authorization: `Bearer ${narrow.json().token}` };
    const report = { title: 'Matrix', description: 'd', steps_to_reproduce: 's', impact: 'i' };
    const own = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: report })).json();
    const other = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: { ...report, affected_versions: { text: '1.0' } } })).json();
    reportId = own.id;
    credentials.reporterOwn = { authorization: `Bearer ${own.followUpToken}` };
    credentials.reporterOther = { authorization: `Bearer ${other.followUpToken}` };
    advisoryId = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/advisories', headers: h.ownerAuth, payload: { title: 'Matrix', summary: 's' } })).json().advisory.id;
  });
  afterAll(() => h?.close());

  const routes = () => h.app.routeAccess.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`);

  it('has an expectation for every registered route, and no stale ones', () => {
    const registered = routes();
    expect(registered.filter((key) => !(key in routeExpectations))).toEqual([]);
    expect(Object.keys(routeExpectations).filter((key) => !registered.includes(key))).toEqual([]);
  });

  it.each(matrixPrincipals)('gives %s exactly the access the table says', async (principal) => {
    const mismatches: string[] = [];
    for (const key of routes()) {
      const [method, url] = key.split(' ') as [string, string];
      const path = url.replace(':slug', 'payqi').replace(':reportId', reportId).replace(':advisoryId', advisoryId).replace(/:[A-Za-z]+/g, () => randomUUID());
      const response = await h.app.inject({ method: method as 'GET', url: path, headers: { ...credentials[principal], 'x-matrix-probe': '1' } });
      const expected = routeExpectations[key]?.includes(principal) ?? false;
      const allowed = response.statusCode === PROBE_STATUS;
      const refused = response.statusCode === 401 || response.statusCode === 403;
      if (expected ? !allowed : !refused) mismatches.push(`${key}: expected ${expected ? 'allowed' : 'refused'}, got ${response.statusCode} ${response.body.slice(0, 120)}`);
    }
    expect(mismatches).toEqual([]);
  });
});
