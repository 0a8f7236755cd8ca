import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { KeysSection } from './settings/KeysSection.tsx';
import { MembersSection } from './settings/MembersSection.tsx';
import { PolicySection } from './settings/PolicySection.tsx';
import { WebhooksSection } from './settings/WebhooksSection.tsx';
import '../../styles/team-advisory.css';
import '../../styles/team-settings.css';

/** A project's settings for its admins: the policy (with its published documents), members, webhooks and the intake key. */
export default function ProjectSettingsPage() {
  const { slug = '' } = useParams();
  const project = useQuery({ queryKey: ['project', slug], queryFn: () => api<{ name: string }>(`/api/v1/projects/${slug}`) });
  const name = project.data?.name ?? slug;
  return (
    <>
      <PageTitle title={`${name} settings`}>Settings of {name}</PageTitle>
      <ErrorMessage error={project.error} />
      <nav aria-label="Settings sections" className="settings-nav">
        <ul>
          <li><a href="#policy">Policy</a></li>
          <li><a href="#members">Members</a></li>
          <li><a href="#webhooks">Webhooks</a></li>
          <li><a href="#keys">Intake key</a></li>
          <li><Link to={`/projects/${slug}/metrics`}>Metrics</Link></li>
        </ul>
      </nav>
      <section id="policy" aria-labelledby="policy-heading">
        <h2 id="policy-heading">Policy</h2>
        <PolicySection slug={slug} />
      </section>
      <section id="members" aria-labelledby="members-heading">
        <h2 id="members-heading">Members and roles</h2>
        <MembersSection slug={slug} />
      </section>
      <section id="webhooks" aria-labelledby="webhooks-heading">
        <h2 id="webhooks-heading">Webhooks</h2>
        <WebhooksSection slug={slug} />
      </section>
      <section id="keys" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Intake key (OpenPGP)</h2>
        <KeysSection slug={slug} />
      </section>
    </>
  );
}
