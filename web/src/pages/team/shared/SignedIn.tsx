import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe, type Me } from '../../../api/me.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Loading } from '../../../ui/Loading.tsx';

/** A return path is only ever a path on this site: never another origin (`//evil`, `https:`). */
export function safeReturnPath(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/inbox';
}

/**
 * Renders its children for a signed-in team member; visitors go to the sign-in
 * page, which brings them back here afterwards. Members whose organisation
 * requires MFA and who have none are sent to enrol (the API refuses them anything else).
 */
export function SignedIn({ children, allowWithoutMfa = false }: { children: (me: Me) => ReactNode; allowWithoutMfa?: boolean }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorMessage error={me.error} />;
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (!allowWithoutMfa && me.data.mfaRequired && !me.data.mfaEnabled) return <Navigate to="/account#mfa" replace />;
  return <>{children(me.data)}</>;
}
