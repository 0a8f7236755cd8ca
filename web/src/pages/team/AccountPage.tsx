import { PageTitle } from '../../ui/PageTitle.tsx';
import { CredentialsSection } from './account/CredentialsSection.tsx';
import { MfaSection } from './account/MfaSection.tsx';
import { NotificationsSection } from './account/NotificationsSection.tsx';
import { SessionsSection } from './account/SessionsSection.tsx';
import { TokensSection } from './account/TokensSection.tsx';
import { SignedIn } from './shared/SignedIn.tsx';
import '../../styles/team.css';

/** The signed-in member's own account. Members who must enrol MFA land here first, so it renders without it. */
export default function AccountPage() {
  return (
    <section>
      <PageTitle>Your account</PageTitle>
      <SignedIn allowWithoutMfa>
        {(me) => (
          <div className="stack account">
            <dl className="facts card">
              <dt>Email</dt><dd>{me.email}</dd>
              <dt>Name</dt><dd>{me.displayName ?? 'not set'}</dd>
              <dt>Organisation role</dt><dd>{me.role}</dd>
            </dl>
            <MfaSection me={me} />
            {!(me.mfaRequired && !me.mfaEnabled) && (
              <>
                <SessionsSection />
                <TokensSection />
                <CredentialsSection me={me} />
                <NotificationsSection />
              </>
            )}
          </div>
        )}
      </SignedIn>
    </section>
  );
}
