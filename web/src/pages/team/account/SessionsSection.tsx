import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, session } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { formatDateTime } from '../shared/format.ts';

interface SessionView {
  id: string;
  kind: 'browser' | 'api';
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

/** Where the account is signed in; any session can be ended, or all at once. */
export function SessionsSection() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const sessions = useQuery({ queryKey: ['account', 'sessions'], queryFn: () => api<{ sessions: SessionView[] }>('/api/v1/account/sessions') });
  const [error, setError] = useState<unknown>(null);
  const signedOut = () => {
    session.setCsrfToken(null);
    queryClient.clear();
    navigate('/login');
  };
  const end = async (s: SessionView) => {
    setError(null);
    try {
      await api(`/api/v1/account/sessions/${s.id}`, { method: 'DELETE' });
      if (s.current) signedOut();
      else await queryClient.invalidateQueries({ queryKey: ['account', 'sessions'] });
    } catch (caught) {
      setError(caught);
    }
  };
  const everywhere = async () => {
    setError(null);
    try {
      await api('/api/v1/auth/logout-everywhere', { method: 'POST' });
      signedOut();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section aria-labelledby="sessions-title" className="card">
      <h2 id="sessions-title">Sessions</h2>
      <ErrorMessage error={sessions.error ?? error} />
      <div className="table-scroll">
        <table>
          <thead>
            <tr><th scope="col">Where</th><th scope="col">Signed in</th><th scope="col">Last seen</th><th scope="col"><span className="visually-hidden">Action</span></th></tr>
          </thead>
          <tbody>
            {sessions.data?.sessions.map((s) => (
              <tr key={s.id} data-testid="session-row">
                <td>
                  {s.kind === 'browser' ? 'Browser' : 'API client'}{s.current && <strong> (this session)</strong>}
                  <div className="hint">{s.userAgent ?? 'unknown client'}{s.ip ? ` · ${s.ip}` : ''}</div>
                </td>
                <td>{formatDateTime(s.createdAt)}</td>
                <td>{formatDateTime(s.lastSeenAt)}</td>
                <td><button type="button" className="secondary" onClick={() => end(s)}>{s.current ? 'Sign out' : 'End session'}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="actions"><button type="button" className="danger" onClick={everywhere}>Sign out everywhere</button></div>
    </section>
  );
}
