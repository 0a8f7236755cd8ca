import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryBody, advisoryHarness, type AdvisoryHarness } from '../../../../test/support/advisories.ts';
import { buildTestApp } from '../../../../test/support/app.ts';
import { csafFilename } from '../../../formats/csaf.ts';
import { parseSecurityTxt } from '../../../formats/security-txt.ts';
import { validateCsafDocument } from '../../../formats/validate-csaf.ts';
import { providerMetadataErrors } from './provider-schema.test-support.ts';

const gpg = promisify(execFile);
const BASE = 'https://embargo.test/.well-known/csaf';
const HOUR = 3_600_000;

interface FeedEntry {
  id: string;
  link: Array<{ rel: string; href: string }>;
  content: { type: string; src: string };
  format: { schema: string; version: string };
}

describe('the CSAF trusted provider', () => {
  let h: AdvisoryHarness;
  const ids: Record<'first' | 'second' | 'green' | 'amber' | 'draft', string> = { first: '', second: '', green: '', amber: '', draft: '' };
  const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });
  const path = (id: string) => `2026/${csafFilename(id)}`;

  async function published(title: string, tlp: string): Promise<string> {
    const id = await h.draft('payqi', { ...advisoryBody, title, tlp });
    const response = await h.call('POST', `/api/v1/advisories/${id}/publish`);
    if (response.statusCode !== 200) throw new Error(response.body);
    h.advance(HOUR);
    return id;
  }

  beforeAll(async () => {
    h = await advisoryHarness('pglite');
    ids.first = await published('Path traversal in file download', 'WHITE');
    ids.second = await published('Open redirect after sign-in', 'WHITE');
    ids.green = await published('Timing leak in token comparison', 'GREEN');
    ids.amber = await published('Key material in debug logs', 'AMBER');
    ids.draft = await h.draft('payqi', { ...advisoryBody, title: 'Unpublished draft' });
    // A revision makes the first advisory the most recently changed one.
    const revised = await h.call('PATCH', `/api/v1/advisories/${ids.first}`, { summary: 'Reads any file the server can read', revisionSummary: 'Clearer summary' });
    if (revised.statusCode !== 200) throw new Error(revised.body);
  });
  afterAll(() => h?.close());

  it('serves provider metadata valid against the provider schema, as a trusted provider', async () => {
    const response = await get('/.well-known/csaf/provider-metadata.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    const metadata = response.json();
    expect(await providerMetadataErrors(metadata)).toEqual([]);
    expect(await providerMetadataErrors({ ...metadata, role: 'csaf_provider_of_sorts' })).not.toEqual([]);
    expect(metadata).toMatchObject({ role: 'csaf_trusted_provider', metadata_version: '2.0', canonical_url: `${BASE}/provider-metadata.json`, publisher: { category: 'vendor', namespace: 'https://embargo.test' } });
    expect(metadata.distributions[0].rolie.feeds.map((feed: { url: string }) => feed.url)).toEqual([`${BASE}/white/csaf-feed-tlp-white.json`, `${BASE}/green/csaf-feed-tlp-green.json`]);
  });

  it('lists exactly the public documents in index.txt and changes.csv, newest change first, without a header', async () => {
    const index = await get('/.well-known/csaf/white/index.txt');
    expect(index.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(index.body).toBe(`${path(ids.first)}\n${path(ids.second)}\n`);
    const changes = await get('/.well-known/csaf/white/changes.csv');
    const lines = changes.body.trimEnd().split('\n');
    expect(lines.map((line) => line.split(',')[0])).toEqual([`"${path(ids.first)}"`, `"${path(ids.second)}"`]);
    const dates = lines.map((line) => Date.parse(JSON.parse(line.split(',')[1]!)));
    expect(dates[0]).toBeGreaterThan(dates[1]!);
    expect((await get('/.well-known/csaf/green/index.txt')).body).toBe(`${path(ids.green)}\n`);
  });

  it('serves each listed document valid, with matching hashes and a signature gpg verifies against the served key', async () => {
    const metadata = (await get('/.well-known/csaf/provider-metadata.json')).json();
    const key = metadata.public_openpgp_keys[0];
    const served = await get(new URL(key.url).pathname);
    expect(served.statusCode).toBe(200);
    const home = await mkdtemp(join(tmpdir(), 'embargo-csaf-gpg-'));
    await writeFile(join(home, 'key.asc'), served.body);
    await gpg('gpg', ['--homedir', home, '--batch', '--import', join(home, 'key.asc')]);

    for (const [tlp, documents] of [['white', [ids.first, ids.second]], ['green', [ids.green]]] as const) {
      for (const id of documents) {
        const url = `/.well-known/csaf/${tlp}/${path(id)}`;
        const document = await get(url);
        expect(document.statusCode, url).toBe(200);
        expect(document.headers['content-type']).toBe('application/json; charset=utf-8');
        const validation = await validateCsafDocument(document.json());
        expect(validation.errors, url).toEqual([]);
        expect(document.json().document.distribution.tlp.label).toBe(tlp.toUpperCase());
        for (const algorithm of ['sha256', 'sha512'] as const) {
          const hash = await get(`${url}.${algorithm}`);
          expect(hash.body).toBe(`${createHash(algorithm).update(document.rawPayload).digest('hex')}  ${csafFilename(id)}\n`);
        }
        const signature = await get(`${url}.asc`);
        expect(signature.headers['content-type']).toBe('application/pgp-signature');
        await writeFile(join(home, 'doc.json'), document.rawPayload);
        await writeFile(join(home, 'doc.json.asc'), signature.body);
        const verified = await gpg('gpg', ['--homedir', home, '--batch', '--status-fd', '1', '--verify', join(home, 'doc.json.asc'), join(home, 'doc.json')]);
        expect(verified.stdout).toContain(`VALIDSIG ${key.fingerprint}`);
      }
    }
  });

  it('lists the documents in the ROLIE feed of their TLP with document, hash and signature links', async () => {
    const response = await get('/.well-known/csaf/white/csaf-feed-tlp-white.json');
    const { feed } = response.json();
    expect(feed.link).toEqual([{ rel: 'self', href: `${BASE}/white/csaf-feed-tlp-white.json` }]);
    expect(feed.category).toEqual([{ scheme: 'urn:ietf:params:rolie:category:information-type', term: 'csaf' }]);
    expect(feed.entry.map((entry: FeedEntry) => entry.id)).toEqual([ids.first, ids.second]);
    const entry: FeedEntry = feed.entry[0];
    const href = `${BASE}/white/${path(ids.first)}`;
    expect(entry.link).toEqual([
      { rel: 'self', href },
      { rel: 'hash', href: `${href}.sha256` },
      { rel: 'hash', href: `${href}.sha512` },
      { rel: 'signature', href: `${href}.asc` },
    ]);
    expect(entry.content).toEqual({ type: 'application/json', src: href });
    expect(entry.format).toEqual({ schema: 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json', version: '2.0' });
    expect((await get('/.well-known/csaf/green/csaf-feed-tlp-green.json')).json().feed.entry.map((e: FeedEntry) => e.id)).toEqual([ids.green]);
  });

  it('never serves the AMBER document, nor an AMBER or RED directory, and shows drafts nowhere', async () => {
    const everything = await Promise.all(
      ['provider-metadata.json', 'white/index.txt', 'white/changes.csv', 'white/csaf-feed-tlp-white.json', 'green/index.txt', 'green/changes.csv', 'green/csaf-feed-tlp-green.json'].map(
        async (file) => (await get(`/.well-known/csaf/${file}`)).body,
      ),
    );
    for (const body of everything) {
      expect(body).not.toContain(ids.amber);
      expect(body).not.toContain(ids.draft);
    }
    for (const url of [`amber/${path(ids.amber)}`, `white/${path(ids.amber)}`, `red/${path(ids.amber)}`, 'amber/index.txt', 'red/changes.csv', 'amber/csaf-feed-tlp-amber.json', `white/${path(ids.draft)}`, 'white/csaf-feed-tlp-green.json']) {
      expect((await get(`/.well-known/csaf/${url}`)).statusCode, url).toBe(404);
    }
  });

  it('answers 304 to a client whose copy is current', async () => {
    const url = `/.well-known/csaf/white/${path(ids.second)}.asc`;
    const first = await get(url);
    const again = await get(url, { 'if-none-match': String(first.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect((await get('/.well-known/csaf/white/index.txt', { 'if-none-match': String((await get('/.well-known/csaf/white/index.txt')).headers.etag) })).statusCode).toBe(304);
  });

  it('names the provider metadata in the instance security.txt, which stays valid RFC 9116', async () => {
    const text = (await get('/.well-known/security.txt')).body;
    expect(text).toContain(`CSAF: ${BASE}/provider-metadata.json\n`);
    expect(parseSecurityTxt(text, { now: h.now() }).errors).toEqual([]);
  });

  it('has no provider, and names none, on a plain-http instance (§7.1.3 wants TLS)', async () => {
    const app = await buildTestApp(h.database, { now: h.now, config: { publicUrl: 'http://localhost:8080' } });
    try {
      expect((await app.inject('/.well-known/csaf/provider-metadata.json')).statusCode).toBe(404);
      expect((await app.inject(`/.well-known/csaf/white/${path(ids.first)}`)).statusCode).toBe(404);
      expect((await app.inject('/.well-known/security.txt')).body).not.toContain('CSAF:');
    } finally {
      await app.close();
    }
  });
});
