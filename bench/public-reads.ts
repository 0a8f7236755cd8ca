/**
 * Public reads on PostgreSQL — advisory JSON, the OSV file, security.txt —
 * against a bare Fastify server returning the same bytes from memory (the
 * ceiling for this machine). /healthz is measured the same way: it does no
 * work of its own, so it shows what the request pipeline alone costs
 * (rate limiting, access control, headers). Runs alternate, medians compared.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, startPostgresCluster } from '../test/support/postgres-cluster.ts';
import { forkChild, interleave, load, median, startEmbargo, type Row } from './support.ts';

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

// Written here rather than imported from test/support/advisories.ts, which would load the whole app into this process.
const advisoryBody = {
  title: 'Path traversal in file download',
  summary: 'The download endpoint reads files outside its directory',
  details: 'Upgrade to **1.4.3**. The endpoint joined user input into a path; see the [fix](https://example.org/payqi/commit/abc).',
  severity: { cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
  cweIds: ['CWE-22'],
  affected: [{ ecosystem: 'npm', name: 'payqi-server', ranges: [{ type: 'SEMVER', introduced: '1.2.0', fixed: '1.4.3' }] }],
  references: [{ type: 'FIX', url: 'https://example.org/payqi/commit/abc' }],
};

async function publishAdvisory(url: string, ownerToken: string): Promise<string> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${ownerToken}` };
  const draft = await fetch(`${url}/api/v1/projects/payqi/advisories`, { method: 'POST', headers, body: JSON.stringify(advisoryBody) });
  if (draft.status !== 201) throw new Error(`draft failed: ${await draft.text()}`);
  const id = ((await draft.json()) as { advisory: { id: string } }).advisory.id;
  const published = await fetch(`${url}/api/v1/advisories/${id}/publish`, { method: 'POST', headers: { authorization: headers.authorization } });
  if (published.status !== 200) throw new Error(`publish failed: ${await published.text()}`);
  return id;
}

export async function publicReadsBenchmark(): Promise<Row[]> {
  const cluster = await startPostgresCluster();
  try {
    const embargo = await startEmbargo(await createDatabase(cluster.url, 'bench_public'));
    try {
      const id = await publishAdvisory(embargo.url, embargo.ownerToken);
      const cases = [
        ['advisory JSON', `/api/v1/projects/payqi/advisories/${id}`],
        ['OSV file', `/p/payqi/advisories/${id}.osv.json`],
        ['security.txt', '/.well-known/security.txt'],
        ['/healthz (pipeline only)', '/healthz'],
      ] as const;
      const routes = [];
      for (const [, path] of cases) {
        const response = await fetch(`${embargo.url}${path}`);
        if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
        routes.push({ path, contentType: response.headers.get('content-type')!, body: await response.text() });
      }
      const routesFile = join(await mkdtemp(join(tmpdir(), 'embargo-bench-')), 'routes.json');
      await writeFile(routesFile, JSON.stringify(routes));
      const bare = await forkChild('./bare-server.ts', { BENCH_ROUTES_FILE: routesFile });
      try {
        const rows: Row[] = [];
        for (const [name, path] of cases) {
          const run = (base: string) => () => load({ url: `${base}${path}`, connections: CONNECTIONS, seconds: SECONDS });
          await run(embargo.url)(); // warm-up
          const runs = await interleave(ROUNDS, run(embargo.url), run(bare.ready.url!));
          const rps = median(runs.a.map((r) => r.requestsPerSecond));
          const ceiling = median(runs.b.map((r) => r.requestsPerSecond));
          const p99 = median(runs.a.map((r) => r.p99));
          rows.push({ benchmark: 'public', case: `${name}, req/s (p99 ${p99.toFixed(0)} ms)`, result: rps.toFixed(0), baseline: `bare Fastify ${ceiling.toFixed(0)}`, ratio: rps / ceiling, target: path === '/healthz' ? undefined : 0.8 });
        }
        return rows;
      } finally {
        await bare.stop();
      }
    } finally {
      await embargo.child.stop();
    }
  } finally {
    await cluster.stop();
  }
}
