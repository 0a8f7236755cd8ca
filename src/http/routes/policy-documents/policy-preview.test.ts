import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../../test/support/accounts.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';

describe.each(databaseKinds)('policy preview (the policy editor\'s live check) on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let policy: string;
  const preview = (text: string) => h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/policy/preview', headers: h.ownerAuth, payload: { policy: text } });

  beforeAll(async () => {
    h = await accountsHarness(kind);
    policy = (await examplePolicyExpiringIn('leher', 190, h.now())).text;
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy } })).statusCode).toBe(201);
  });
  afterAll(() => h?.close());

  it('renders SECURITY.md and security.txt from the unsaved policy, and stores nothing', async () => {
    const changed = policy.replace(/^(\s+name:) (.*)$/m, '$1 Leher Preview Name');
    const response = await preview(changed);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().securityMd).toContain('Leher Preview Name');
    expect(response.json().securityTxt).toMatch(/^Expires: /m);
    const stored = await h.app.inject('/p/leher/SECURITY.md');
    expect(stored.body).not.toContain('Leher Preview Name');
    const revisions = await h.app.inject({ url: '/api/v1/projects/leher/policy/revisions', headers: h.ownerAuth });
    expect(revisions.json().revisions).toHaveLength(1);
  });

  it('answers an invalid policy with every problem, its field path and line', async () => {
    const response = await preview(policy.replace(/^(\s+expires:) .*$/m, '$1 not-a-date'));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_policy');
    const details = response.json().error.details as Array<{ path: string; message: string }>;
    expect(details).toEqual([expect.objectContaining({ path: 'security_txt.expires', message: expect.stringMatching(/\(line \d+, column \d+\)/) })]);
  });

  it('refuses a policy naming another project', async () => {
    const response = await preview(policy.replace(/^(\s+slug:) leher$/m, '$1 other'));
    expect(response.json().error.details).toEqual([expect.objectContaining({ path: 'project.slug' })]);
  });
});
