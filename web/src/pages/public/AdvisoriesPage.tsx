import { Link } from 'react-router';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { severityBadge, useAdvisories } from '../shared/advisories.ts';
import { formatDate } from '../shared/project.ts';
import '../../styles/public.css';

/** Every published (and withdrawn) advisory of the instance, newest first as the API orders them. */
export default function AdvisoriesPage() {
  const advisories = useAdvisories();
  return (
    <section>
      <PageTitle>Security advisories</PageTitle>
      <p>
        Vulnerabilities fixed and disclosed by the projects here. Follow them in a feed reader (<a href="/advisories.atom">Atom</a>) or in your
        dependency scanner through each advisory's OSV record.
      </p>
      {advisories.isPending && <Loading what="Loading advisories" />}
      <ErrorMessage error={advisories.error} />
      {advisories.data?.advisories.length === 0 && <p className="notice">No advisory has been published yet.</p>}
      {advisories.data && advisories.data.advisories.length > 0 && (
        <ul className="advisory-list" aria-label="Advisories">
          {advisories.data.advisories.map((advisory) => {
            const badge = severityBadge(advisory.severity);
            return (
              <li key={advisory.id}>
                <h2>
                  <Link to={`/advisories/${advisory.id}`}>{advisory.title}</Link>
                </h2>
                <p className="hint">
                  <span className={badge.className}>{badge.text}</span> · {advisory.id}
                  {advisory.cveId ? ` · ${advisory.cveId}` : ''} · {advisory.project}
                  {advisory.state === 'withdrawn' ? <> · <span className="badge neutral">Withdrawn</span></> : advisory.published ? ` · published ${formatDate(advisory.published)}` : ''}
                </p>
                <p>{advisory.summary}</p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
