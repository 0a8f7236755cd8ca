import { PageTitle } from '../../ui/PageTitle.tsx';
import { AuditSection } from './admin/AuditSection.tsx';
import { InvitationsSection, OrganisationSection, UsersSection } from './admin/PeopleSection.tsx';
import '../../styles/team-settings.css';
import '../../styles/team-admin.css';

/** Organisation administration for owners and admins: people, invitations, sign-in rules and the audit log. */
export default function AdminPage() {
  return (
    <>
      <PageTitle>Organisation administration</PageTitle>
      <nav aria-label="Administration sections" className="settings-nav">
        <ul>
          <li><a href="#people">People</a></li>
          <li><a href="#invitations">Invitations</a></li>
          <li><a href="#organisation">Sign-in rules</a></li>
          <li><a href="#audit">Audit log</a></li>
        </ul>
      </nav>
      <section id="people" aria-labelledby="people-heading">
        <h2 id="people-heading">People</h2>
        <UsersSection />
      </section>
      <section id="invitations" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">Invitations</h2>
        <InvitationsSection />
      </section>
      <section id="organisation" aria-labelledby="organisation-heading">
        <h2 id="organisation-heading">Sign-in rules</h2>
        <OrganisationSection />
      </section>
      <section id="audit" aria-labelledby="audit-heading">
        <h2 id="audit-heading">Audit log</h2>
        <AuditSection />
      </section>
    </>
  );
}
