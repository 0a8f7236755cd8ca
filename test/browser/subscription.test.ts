import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmailPayload, EMAIL_TOPIC } from '../../src/services/outbox.service.ts';
import { subscriptionToken } from '../../src/services/subscriptions/subscription-token.ts';
import { listOutboxEvents } from '../../src/storage/repositories/outbox.repository.ts';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, seriousAccessibilityViolations, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';

const ADDRESS = 'follower@example.net';

describe('subscribing to advisories in a real browser', () => {
  let server: UiServer;
  let browser: Browser;

  const mailedLink = async (page: 'confirm' | 'unsubscribe') => {
    const mails = (await listOutboxEvents(server.database.db, EMAIL_TOPIC)).map((event) => openEmailPayload(server.ctx, event)).filter((m) => m.to === ADDRESS);
    return mails.map((m) => m.text.match(new RegExp(`(http://\\S+/subscriptions/${page}#token=[\\w.-]+)`))?.[1]).filter(Boolean).at(-1)!;
  };
  const confirmed = async () => (await server.database.db.selectFrom('advisory_subscription').select('confirmed_at').execute()).map((r) => r.confirmed_at !== null);

  beforeAll(async () => {
    server = await startUiServer();
    const token = await setUpOwner(server.app, server.database);
    const policy = await examplePolicyExpiringIn('payqi');
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: { authorization: `Bearer ${token}` }, payload: { policy: policy.text } })).statusCode).toBe(201);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('subscribes from the project page and confirms only when the person presses the button, not when the link is fetched', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/p/payqi`);
    await page.getByLabel('Email address').fill(ADDRESS);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('status').filter({ hasText: 'Check your inbox' }).waitFor();

    const link = await mailedLink('confirm');
    expect(link).toMatch(new RegExp(`^${server.url}/subscriptions/confirm#token=`));
    // A mail scanner fetching the link, or the old-style API link, confirms nothing.
    await fetch(link);
    await fetch(link.replace('/subscriptions/confirm#token=', '/api/v1/subscriptions/confirm?token='));
    await page.goto(link);
    await page.getByRole('button', { name: 'Confirm my subscription' }).waitFor();
    expect(await confirmed()).toEqual([false]);
    // The token left the address bar as soon as the page read it.
    expect(page.url()).toBe(`${server.url}/subscriptions/confirm`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Confirm my subscription' }).click();
    await page.getByRole('status').filter({ hasText: 'Subscribed.' }).waitFor();
    expect(await confirmed()).toEqual([true]);
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });

  it('unsubscribes from the page an API link redirects to, after one press', async () => {
    const row = await server.database.db.selectFrom('advisory_subscription').select('id').executeTakeFirstOrThrow();
    const token = subscriptionToken(server.ctx.serverSecret, row.id, 'unsubscribe');
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/api/v1/subscriptions/unsubscribe?token=${token}`);
    await page.getByRole('button', { name: 'Unsubscribe' }).waitFor();
    expect(await confirmed()).toEqual([true]);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('status').filter({ hasText: 'Unsubscribed.' }).waitFor();
    expect(await confirmed()).toEqual([]);
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
});
