import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../test/support/accounts.ts';
import { TEST_SERVER_SECRET } from '../../../test/support/app.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../test/support/policies.ts';
import { subscriptionToken } from './subscription-token.ts';

const ADDRESS = 'Grace.Hopper@Example.org';

describe.each(databaseKinds)('subscription audit trail on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;

  beforeAll(async () => {
    h = await accountsHarness(kind);
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn('payqi')).text } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const auditRows = () => h.database.db.selectFrom('audit_log').selectAll().where('action', 'like', 'subscription.%').orderBy('seq').execute();

  it('records subscribe, confirm and unsubscribe by subscription id and scope, never the address', async () => {
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/subscriptions', payload: { email: ADDRESS, project: 'payqi' } })).statusCode).toBe(202);
    // Asking again within the hour changes nothing and records nothing.
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/subscriptions', payload: { email: ADDRESS, project: 'payqi' } })).statusCode).toBe(202);
    const confirmation = (await h.emails()).find((m) => m.subject.startsWith('Confirm your subscription'))!;
    const confirm = `/api/v1/subscriptions/confirm?token=${confirmation.text.match(/\/subscriptions\/confirm#token=([\w.-]+)/)![1]}`;
    for (let i = 0; i < 2; i += 1) expect((await h.app.inject({ method: 'POST', url: confirm })).statusCode).toBe(200);
    const id = confirm.match(/token=([0-9a-f-]{36})\./)![1]!;
    // The link every advisory mail carries (none is published here).
    const unsubscribe = `/api/v1/subscriptions/unsubscribe?token=${subscriptionToken(TEST_SERVER_SECRET, id, 'unsubscribe')}`;
    for (let i = 0; i < 2; i += 1) expect((await h.app.inject({ method: 'POST', url: unsubscribe, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })).statusCode).toBe(200);

    const rows = await auditRows();
    const project = await h.database.db.selectFrom('project').select('id').where('slug', '=', 'payqi').executeTakeFirstOrThrow();
    expect(rows.map((r) => [r.action, r.object_type, r.object_id, r.details])).toEqual([
      ['subscription.requested', 'advisory_subscription', id, { projectId: project.id }],
      ['subscription.confirmed', 'advisory_subscription', id, { projectId: project.id }],
      ['subscription.ended', 'advisory_subscription', id, { projectId: project.id }],
    ]);
    expect(JSON.stringify(rows).toLowerCase()).not.toContain('grace.hopper');
  });
});
