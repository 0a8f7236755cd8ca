import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';

describe('web UI shell in a real browser', () => {
  let server: UiServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startUiServer();
    const token = await setUpOwner(server.app, server.database);
    const policy = await examplePolicyExpiringIn('example-web-api');
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: { authorization: `Bearer ${token}` }, payload: { policy: policy.text } });
    expect(created.statusCode).toBe(201);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the built app under the strict CSP, lists projects, and has no serious accessibility problem', async () => {
    const { page, watch } = await watchedPage(browser);
    const response = await page.goto(`${server.url}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect.poll(() => page.getByRole('link', { name: 'Example Web API' }).count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'home');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });

  it('fits a phone screen', async () => {
    const { page, watch } = await watchedPage(browser, { viewport: { width: 390, height: 844 } });
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'home-phone');
    expect(watch.pageErrors).toEqual([]);
  });

  it('answers unknown paths with the coded 404, and assets with long-lived caching', async () => {
    const missing = await server.app.inject('/no-such-page');
    expect(missing.statusCode).toBe(404);
    const { page } = await watchedPage(browser);
    const response = await page.goto(`${server.url}/`);
    const html = await response!.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const served = await server.app.inject(asset!);
    expect(served.statusCode).toBe(200);
    expect(served.headers['cache-control']).toContain('immutable');
    expect((await server.app.inject('/assets/..%2f..%2fpackage.json')).statusCode).toBeGreaterThanOrEqual(400);
  });
});
