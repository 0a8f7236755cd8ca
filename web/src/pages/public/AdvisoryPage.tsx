import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { safeHref, severityBadge, useAdvisories, type AdvisoryListEntry } from '../shared/advisories.ts';
import { formatDate } from '../shared/project.ts';
import '../../styles/public.css';

interface Advisory extends Omit<AdvisoryListEntry, 'project' | 'withdrawn'> {
  project: { slug: string; name: string };
  details: string;
  /** Sanitised on the server (src/formats/markdown-html.ts). */
  detailsHtml: string;
  cweIds: string[];
  affected: { ecosystem: string; name: string; purl?: string; ranges: { type: string; introduced: string; fixed?: string; lastAffected?: string }[]; versions?: string[]; patched?: string[] }[];
  references: { type: string; url: string }[];
  credits: { name: string; type: string; contact?: string[] }[];
  withdrawn?: { at: string; reason: string };
  revisions: { number: number; date: string; summary: string }[];
  tlp: 'WHITE' | 'GREEN' | 'AMBER' | 'RED';
}

const creditWords: Record<string, string> = {
  FINDER: 'found it', REPORTER: 'reported it', ANALYST: 'analysed it', COORDINATOR: 'coordinated', REMEDIATION_DEVELOPER: 'wrote the fix',
  REMEDIATION_REVIEWER: 'reviewed the fix', REMEDIATION_VERIFIER: 'verified the fix', TOOL: 'tool', SPONSOR: 'sponsor', OTHER: 'helped',
};

function rangeWords(range: Advisory['affected'][number]['ranges'][number]): string {
  const from = range.introduced === '0' ? 'all versions' : `from ${range.introduced}`;
  if (range.fixed) return `${from}, fixed in ${range.fixed}`;
  if (range.lastAffected) return `${from} up to and including ${range.lastAffected}`;
  return `${from}; no fix yet`;
}

/** CSAF documents are served for TLP WHITE and GREEN only, under the year of first release (see services/advisories/csaf-provider*.ts). */
function csafUrl(advisory: Advisory): string | undefined {
  if ((advisory.tlp !== 'WHITE' && advisory.tlp !== 'GREEN') || !advisory.published) return undefined;
  const file = `${advisory.id.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;
  return `/.well-known/csaf/${advisory.tlp.toLowerCase()}/${new Date(advisory.published).getUTCFullYear()}/${file}`;
}

/** One advisory for people, with links to its machine-readable forms. */
export default function AdvisoryPage() {
  const { advisoryId = '' } = useParams();
  // The public detail route is per project; the list says which project the id belongs to.
  const list = useAdvisories();
  const entry = list.data?.advisories.find((a) => a.id === advisoryId);
  const advisory = useQuery({
    queryKey: ['advisory', advisoryId],
    enabled: entry !== undefined,
    queryFn: () => api<Advisory>(`/api/v1/projects/${encodeURIComponent(entry!.project)}/advisories/${encodeURIComponent(advisoryId)}`),
  });
  if (list.isPending || (entry && advisory.isPending)) return <Loading what="Loading the advisory" />;
  if (!entry || !advisory.data) {
    return (
      <section>
        <PageTitle>Advisory {advisoryId}</PageTitle>
        {list.data && !entry ? <p className="notice">There is no published advisory {advisoryId}. <Link to="/advisories">See all advisories</Link>.</p> : null}
        <ErrorMessage error={list.error ?? advisory.error} />
      </section>
    );
  }
  const a = advisory.data;
  const badge = severityBadge(a.severity);
  const csaf = csafUrl(a);
  return (
    <article>
      <p className="hint"><Link to={`/p/${a.project.slug}`}>{a.project.name}</Link> · {a.id}{a.cveId ? ` · ${a.cveId}` : ''}</p>
      <PageTitle title={`${a.id}: ${a.title}`}>{a.title}</PageTitle>
      {a.withdrawn && (
        <div className="warning" role="note">
          <strong>Withdrawn on {formatDate(a.withdrawn.at)}.</strong> <span className="prose">{a.withdrawn.reason}</span>
        </div>
      )}
      <p className="lead">{a.summary}</p>
      <div className="columns">
        <div>
          <h2>Details</h2>
          {/* Sanitised on the server (src/formats/markdown-html.ts) before it reaches this page. */}
          <div className="advisory-details markdown" dangerouslySetInnerHTML={{ __html: a.detailsHtml }} />
          {a.affected.length > 0 && (
            <>
              <h2>Affected packages</h2>
              <div className="table-scroll">
                <table>
                  <thead><tr><th scope="col">Package</th><th scope="col">Affected versions</th><th scope="col">Patched</th></tr></thead>
                  <tbody>
                    {a.affected.map((p) => (
                      <tr key={`${p.ecosystem}/${p.name}`}>
                        <td>{p.name} <span className="hint">({p.ecosystem})</span></td>
                        <td>
                          {p.ranges.map((r) => <div key={`${r.type}${r.introduced}`}>{rangeWords(r)}</div>)}
                          {p.versions && p.versions.length > 0 && <div>{p.versions.join(', ')}</div>}
                        </td>
                        <td>{p.patched?.join(', ') ?? p.ranges.map((r) => r.fixed).filter(Boolean).join(', ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          {a.references.length > 0 && (
            <>
              <h2>References</h2>
              <ul>
                {a.references.map((r) => {
                  const href = safeHref(r.url);
                  return <li key={r.url}>{href ? <a href={href} rel="noopener nofollow">{r.url}</a> : r.url} <span className="hint">({r.type.toLowerCase()})</span></li>;
                })}
              </ul>
            </>
          )}
          {a.credits.length > 0 && (
            <>
              <h2>Credits</h2>
              <ul aria-label="Credits">
                {a.credits.map((c) => {
                  const href = c.contact?.map(safeHref).find(Boolean);
                  return <li key={`${c.name}-${c.type}`}>{href ? <a href={href} rel="noopener nofollow">{c.name}</a> : c.name} <span className="hint">({creditWords[c.type] ?? c.type})</span></li>;
                })}
              </ul>
            </>
          )}
          {a.revisions.length > 1 && (
            <>
              <h2>Revisions</h2>
              <ol>{a.revisions.map((r) => <li key={r.number}>{formatDate(r.date)}: {r.summary}</li>)}</ol>
            </>
          )}
        </div>
        <aside aria-label="Facts and formats">
          <div className="card">
            <dl className="facts">
              <dt>Severity</dt>
              <dd><span className={badge.className}>{badge.text}</span></dd>
              {a.severity?.cvss40 && <><dt>CVSS 4.0</dt><dd><code>{a.severity.cvss40.vector}</code></dd></>}
              {a.severity?.cvss31 && <><dt>CVSS 3.1</dt><dd><code>{a.severity.cvss31.vector}</code></dd></>}
              {a.cveId && <><dt>CVE</dt><dd>{a.cveId}</dd></>}
              {a.cweIds.length > 0 && <><dt>Weakness</dt><dd>{a.cweIds.join(', ')}</dd></>}
              {a.aliases.length > 0 && <><dt>Aliases</dt><dd>{a.aliases.join(', ')}</dd></>}
              {a.published && <><dt>Published</dt><dd>{formatDate(a.published)}</dd></>}
              <dt>Updated</dt>
              <dd>{formatDate(a.modified)}</dd>
            </dl>
            <h2>Formats</h2>
            <ul>
              <li><a href={a.links.osv}>OSV JSON</a></li>
              <li><a href={a.links.json}>Embargo JSON</a></li>
              {csaf && <li><a href={csaf}>CSAF 2.0</a></li>}
              <li><a href={`/p/${a.project.slug}/advisories.atom`}>{a.project.name} advisories (Atom)</a></li>
            </ul>
          </div>
        </aside>
      </div>
    </article>
  );
}
