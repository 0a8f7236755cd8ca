import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';

interface ProjectList {
  projects: { slug: string; name: string }[];
}

/** The instance's front page: every project that takes reports here. */
export default function HomePage() {
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => api<ProjectList>('/api/v1/projects') });
  return (
    <section>
      <PageTitle>Report a security vulnerability</PageTitle>
      <p>
        Found a security problem in one of these projects? Please do not open a public issue. Choose the project to read its
        security policy and report privately; you can stay anonymous.
      </p>
      {projects.isPending && <Loading what="Loading projects" />}
      <ErrorMessage error={projects.error} />
      {projects.data && projects.data.projects.length === 0 && <p className="notice">No project takes reports here yet.</p>}
      {projects.data && projects.data.projects.length > 0 && (
        <ul className="cards" aria-label="Projects">
          {projects.data.projects.map((project) => (
            <li key={project.slug} className="card">
              <h2><Link to={`/p/${project.slug}`}>{project.name}</Link></h2>
              <p><Link to={`/p/${project.slug}/report`}>Report a vulnerability</Link></p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
