import { generateKey } from 'openpgp';
import type { Browser } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMessage, openReport } from '../../src/services/reports/report-view.ts';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { invitedMemberWithMfa, movableClock, signInInPage, type TeamMember } from '../support/team-session.ts';

const CANARY = 'CANARY-zk-41b7-heap-overflow-in-codec';
const PASSPHRASE = 'offline key passphrase 7';
const ARMORED = /^-----BEGIN PGP MESSAGE-----[\s\S]+-----END PGP MESSAGE-----\s*$/;

/** Buffers as text, so a canary inside bytea columns would show up too. */
const dump = (rows: unknown) => JSON.stringify(rows, (_key, value) => (value && value.type === 'Buffer' && Array.isArray(value.data) ? Buffer.from(value.data).toString('latin1') : value));

/**
 * Zero-knowledge intake: the project's private key is offline (Embargo holds
 * only the public key), so the form encrypts every field and file in the
 * reporter's browser, the database holds only ciphertext, and the triager
 * decrypts in their own browser with a key file that never leaves it.
 */
describe('zero-knowledge reports in a real browser', () => {
  const clock = movableClock();
  let server: UiServer;
  let browser: Browser;
  let owner: { authorization: string };
  let triager: TeamMember;
  let privateKey: string;
  let reportId: string;

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    const ownerToken = await setUpOwner(server.app, server.database);
    owner = { authorization: `Bearer ${ownerToken}` };
    const policy = await examplePolicyExpiringIn('payqi', 190, clock.now());
    // The affected version is asked for here, so the test sees it encrypted and decrypted like the other fields.
    const withVersion = policy.text.replace('affected_versions: hidden', 'affected_versions: optional');
    expect(withVersion).not.toBe(policy.text);
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: owner, payload: { policy: withVersion } })).statusCode).toBe(201);
    const offline = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'PayQI security', email: 'security@payqi.example' }], passphrase: PASSPHRASE, format: 'armored' });
    privateKey = offline.privateKey;
    const installed = await server.app.inject({ method: 'PUT', url: '/api/v1/projects/payqi/intake-key', headers: owner, payload: { publicKey: offline.publicKey } });
    expect(installed.json()).toMatchObject({ hasPrivateKey: false });
    triager = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'zoe@example.org', slug: 'payqi', projectRole: 'triager', displayName: 'Zoe Triager' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('encrypts every field and file in the reporter’s browser', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/p/payqi/report`);
    await page.getByRole('heading', { name: 'End-to-end encrypted' }).waitFor();
    await page.getByLabel('Title').fill(`Title ${CANARY}`);
    await page.getByRole('textbox', { name: /^Description/ }).fill(`Description ${CANARY}`);
    await page.getByRole('textbox', { name: /^Steps to reproduce/ }).fill(`Steps ${CANARY}`);
    await page.getByRole('textbox', { name: /^Impact/ }).fill(`Impact ${CANARY}`);
    await page.getByRole('textbox', { name: /^Affected version/ }).fill(`Version ${CANARY}`);
    await page.getByLabel('Add files').setInputFiles({ name: `poc-${CANARY}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`exploit ${CANARY}\n`) });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'zero-knowledge-form');
    await page.getByRole('button', { name: 'Encrypt and send the report' }).click();
    await page.getByRole('heading', { level: 1, name: /received/ }).waitFor();
    // A multipart body with files is not visible to the DevTools protocol; what arrived is checked in the database below.
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });

  it('stores only ciphertext: no canary in any column, sealed columns opened included', async () => {
    const db = server.database.db;
    const reports = await db.selectFrom('report').selectAll().execute();
    expect(reports).toHaveLength(1);
    reportId = reports[0]!.id;
    const messages = await db.selectFrom('report_message').selectAll().execute();
    const attachments = await db.selectFrom('report_attachment').selectAll().execute();
    // Every table of every schema (pg-boss's job data included), so a table added later cannot slip past.
    const tables = await sql<{ name: string }>`select format('%I.%I', table_schema, table_name) as name from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`.execute(db);
    expect(tables.rows.map((t) => t.name)).toEqual(expect.arrayContaining(['public.report', 'public.disclosure_proposal', 'public.idempotency_record', 'public.webhook_delivery', 'public.email_attempt']));
    for (const { name } of tables.rows) expect(dump((await sql.raw(`select * from ${name}`).execute(db)).rows), name).not.toContain(CANARY);

    const opened = openReport(server.ctx, reports[0]!);
    expect(opened.encryptedToTeam).toBe(true);
    expect(opened.title).toBe('Encrypted report');
    const content = opened.content as Record<string, unknown>;
    for (const field of ['description', 'steps_to_reproduce', 'impact']) expect(content[field], field).toMatch(ARMORED);
    expect(content.affected_versions).toEqual({ text: expect.stringMatching(ARMORED) });
    expect(dump(opened)).not.toContain(CANARY);
    for (const message of messages) expect(dump(openMessage(server.ctx, message))).not.toContain(CANARY);

    // Attachments opened through the service behind the team download route.
    expect(attachments).toHaveLength(1);
    const download = await server.app.inject({ url: `/api/v1/reports/${reportId}/attachments/${attachments[0]!.id}`, headers: owner });
    expect(download.statusCode).toBe(200);
    expect(download.body).toMatch(ARMORED);
    expect(download.headers['content-disposition']).toContain('encrypted-1.asc');
    expect(download.headers['content-disposition']).not.toContain(CANARY);
  });

  it('lets the triager decrypt in the browser with a local key file that no request carries', async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, triager);
    const sent: string[] = [];
    page.on('request', (request) => sent.push(`${request.method()} ${request.url()} ${request.headers().authorization ?? ''} ${request.postDataBuffer()?.toString('latin1') ?? ''}`));
    await page.goto(`${server.url}/reports/${reportId}`);
    const panel = page.getByRole('region', { name: 'Encrypted report' });
    await panel.waitFor();
    expect(await page.getByText(CANARY).count()).toBe(0);
    await panel.getByLabel('Your private key file').setInputFiles({ name: 'payqi-security.asc', mimeType: 'text/plain', buffer: Buffer.from(privateKey) });
    await panel.getByLabel('Passphrase of the key').fill('not the passphrase');
    await panel.getByRole('button', { name: 'Decrypt in this browser' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toContain('passphrase does not unlock');
    await panel.getByLabel('Passphrase of the key').fill(PASSPHRASE);
    await panel.getByRole('button', { name: 'Decrypt in this browser' }).click();
    await panel.getByText('Decrypted in this browser.').waitFor();
    const text = await panel.textContent();
    for (const part of ['Title', 'Description', 'Steps', 'Impact', 'Version']) expect(text).toContain(`${part} ${CANARY}`);
    expect(await panel.getByRole('heading', { name: 'Affected versions' }).count()).toBe(1);
    expect(await panel.getByRole('link', { name: `poc-${CANARY}.txt` }).count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'zero-knowledge-decrypted');

    const keyBody = privateKey.split('\n').find((line) => line.length > 40)!;
    for (const request of sent) {
      expect(request).not.toContain('PRIVATE KEY');
      expect(request).not.toContain(keyBody);
      expect(request).not.toContain(PASSPHRASE);
    }
    expect(await page.evaluate('JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage })')).not.toContain('PRIVATE KEY');
    await panel.getByRole('button', { name: /Forget the key/ }).click();
    expect(await page.getByText(CANARY).count()).toBe(0);
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
});
