import { useQueryClient } from '@tanstack/react-query';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { api, session } from '../api/client.ts';
import { useMe } from '../api/me.ts';

/** The frame of every page: a skip link, the navigation (team links once signed in) and the page itself. */
export function Layout() {
  const me = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = async () => {
    await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
    session.setCsrfToken(null);
    queryClient.clear();
    navigate('/login');
  };
  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="site-header">
        <Link to="/" className="brand">Embargo</Link>
        <nav aria-label="Main">
          <ul>
            <li><NavLink to="/" end>Projects</NavLink></li>
            <li><NavLink to="/advisories">Advisories</NavLink></li>
            {me.data ? (
              <>
                <li><NavLink to="/inbox">Inbox</NavLink></li>
                <li><NavLink to="/account">Account</NavLink></li>
                {me.data.role !== 'member' && <li><NavLink to="/admin">Admin</NavLink></li>}
                <li><button type="button" className="link-button" onClick={signOut}>Sign out</button></li>
              </>
            ) : (
              <li><NavLink to="/login">Team sign-in</NavLink></li>
            )}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>Embargo — coordinated vulnerability disclosure. <a href="/.well-known/security.txt">security.txt</a> · <a href="/advisories.atom">Advisories feed</a></p>
      </footer>
    </>
  );
}
