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

  it('shows keyboard focus with an outline that stands out 3:1 from what is behind it (WCAG 1.4.11)', async () => {
    const { page } = await watchedPage(browser);
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Example Web API' }).waitFor();
    const seen: Array<{ element: string; ratio: number }> = [];
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Tab');
      // Relative luminance per WCAG 2.x, against the first opaque background up the tree (the outline sits 2px outside the element).
      seen.push(
        (await page.evaluate(`(() => {
          const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
          const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
          const focused = document.activeElement;
          const style = getComputedStyle(focused);
          let behind = focused.parentElement;
          while (behind && rgb(getComputedStyle(behind).backgroundColor)[3] === 0) behind = behind.parentElement;
          const [a, b] = [lum(rgb(style.outlineColor)), lum(rgb(behind ? getComputedStyle(behind).backgroundColor : 'rgb(255,255,255)'))];
          const ratio = style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2 ? 0 : (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
          return { element: focused.tagName + ' ' + (focused.textContent || '').trim().slice(0, 30), ratio: Math.round(ratio * 10) / 10 };
        })()`)) as { element: string; ratio: number },
      );
    }
    expect(seen.filter((s) => s.ratio < 3)).toEqual([]);
  });

  it('says plainly that a project does not exist, on an accessible page', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/p/no-such-project`);
    await expect.poll(() => page.getByText(/no project "no-such-project"/).count()).toBeGreaterThan(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'project-not-found');
    expect(watch.pageErrors).toEqual([]);
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
