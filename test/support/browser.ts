import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { App } from '../../src/http/app.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import type { OpenDatabase } from '../../src/storage/database.ts';
import { buildTestApp, testConfig, testContext } from './app.ts';
import { openTestDatabase, type DatabaseKind } from './databases.ts';

/**
 * Real-browser tests: Debian's chromium driven by playwright-core (never a
 * downloaded browser), against the real server listening on 127.0.0.1 and
 * serving the Vite build from dist/web (`npm test` builds it first).
 */
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = '.tmp/screenshots';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface UiServer {
  url: string;
  app: App;
  database: OpenDatabase;
  ctx: ServiceContext;
  close(): Promise<void>;
}

/** The real server on a loopback port, its public URL set to that address so emailed and shown links work. */
export async function startUiServer(options: { kind?: DatabaseKind; now?: () => Date; config?: Partial<typeof testConfig> } = {}): Promise<UiServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const database = await openTestDatabase(options.kind ?? 'pglite');
  const config = { ...options.config, publicUrl: url };
  // EMBARGO_TEST_WEB_DIST lets one developer test their own UI build while another rebuilds dist/web.
  const webDistDir = process.env.EMBARGO_TEST_WEB_DIST ? resolve(process.env.EMBARGO_TEST_WEB_DIST) : undefined;
  const app = await buildTestApp(database, { config, ...(options.now ? { now: options.now } : {}), ...(webDistDir ? { webDistDir } : {}) });
  await app.listen({ host: '127.0.0.1', port });
  const ctx = { ...testContext(database, options.now), publicUrl: url };
  return {
    url,
    app,
    database,
    ctx,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** What a page did that it must not: script dialogs (XSS proof), CSP violations, uncaught errors. */
export interface PageWatch {
  dialogs: string[];
  cspViolations: string[];
  pageErrors: string[];
}

/**
 * A new page that records dialogs, CSP violations and uncaught errors. The
 * recorder is installed through the DevTools protocol, which CSP does not
 * govern, so the page's own policy stays exactly as the server sent it.
 */
export async function watchedPage(browser: Browser, options: { viewport?: { width: number; height: number } } = {}): Promise<{ page: Page; watch: PageWatch }> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } });
  const page = await context.newPage();
  const watch: PageWatch = { dialogs: [], cspViolations: [], pageErrors: [] };
  page.on('dialog', (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => watch.pageErrors.push(error.message));
  await page.exposeFunction('__embargoCspViolation', (text: string) => watch.cspViolations.push(text));
  // A string, not a function: it runs in the page, whose globals this Node-side file does not type.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) => window.__embargoCspViolation(e.violatedDirective + ' ' + e.blockedURI));`,
  });
  return { page, watch };
}

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/** Runs axe-core inside the page and returns the serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Saves a full-page screenshot for review (in .tmp/screenshots, not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}
