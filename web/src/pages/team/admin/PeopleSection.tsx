import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { formatDateTime } from '../shared/format.ts';

const roles = ['owner', 'admin', 'member'] as const;
type Role = (typeof roles)[number];

interface User {
  id: string;
  email: string;
  displayName: string | null;
  role: Role;
  mfaEnabled: boolean;
  disabled: boolean;
  createdAt: string;
}
interface Invitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
}

export function UsersSection() {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => api<{ users: User[] }>('/api/v1/users') });
  const [done, setDone] = useState<string | null>(null);
  const update = useMutation({
    mutationFn: (u: { id: string; role?: Role; disabled?: boolean }) => api(`/api/v1/users/${u.id}`, { method: 'PATCH', body: { ...(u.role ? { role: u.role } : {}), ...(u.disabled !== undefined ? { disabled: u.disabled } : {}) } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  const endSessions = useMutation({
    mutationFn: (u: User) => api<{ endedSessions: number }>(`/api/v1/users/${u.id}/sessions/end`, { method: 'POST' }).then((r) => ({ ...r, who: u.email })),
    onSuccess: (r) => setDone(`Ended ${r.endedSessions} session${r.endedSessions === 1 ? '' : 's'} of ${r.who}.`),
  });
  if (users.isPending) return <Loading what="Loading people" />;
  if (users.error) return <ErrorMessage error={users.error} />;
  return (
    <>
      {done && <p className="success" role="status">{done}</p>}
      <ErrorMessage error={update.error ?? endSessions.error} />
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">People of the organisation</caption>
          <thead>
            <tr><th scope="col">Person</th><th scope="col">Role</th><th scope="col">MFA</th><th scope="col">Status</th><th scope="col">Actions</th></tr>
          </thead>
          <tbody>
            {users.data.users.map((u) => (
              <tr key={u.id}>
                <td>{u.displayName ? <>{u.displayName}<br /><span className="hint">{u.email}</span></> : u.email}</td>
                <td>
                  <label className="visually-hidden" htmlFor={`org-role-${u.id}`}>Role of {u.email}</label>
                  <select id={`org-role-${u.id}`} value={u.role} onChange={(e) => update.mutate({ id: u.id, role: e.target.value as Role })}>
                    {roles.map((r) => <option key={r}>{r}</option>)}
                  </select>
                </td>
                <td>{u.mfaEnabled ? <span className="badge ok">on</span> : <span className="badge warn">off</span>}</td>
                <td>{u.disabled ? <span className="badge bad">deactivated</span> : <span className="badge ok">active</span>}</td>
                <td>
                  <div className="admin-actions">
                  <button type="button" className="secondary" onClick={() => endSessions.mutate(u)}>End sessions of {u.email}</button>
                  <button type="button" className="secondary" onClick={() => update.mutate({ id: u.id, disabled: !u.disabled })}>{u.disabled ? 'Reactivate' : 'Deactivate'} {u.email}</button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function InvitationsSection() {
  const queryClient = useQueryClient();
  const invitations = useQuery({ queryKey: ['invitations'], queryFn: () => api<{ invitations: Invitation[] }>('/api/v1/invitations') });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['invitations'] });
  const invite = useMutation({
    mutationFn: () => api<Invitation>('/api/v1/invitations', { method: 'POST', body: { email, role } }),
    onSuccess: () => {
      setEmail('');
      void refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (id: string) => api(`/api/v1/invitations/${id}`, { method: 'DELETE' }), onSuccess: refresh });
  return (
    <>
      <form className="settings-inline-form" onSubmit={(e) => { e.preventDefault(); invite.mutate(); }}>
        <div className="admin-row">
          <Field label="Email address">
            {(ids) => <input {...ids} type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />}
          </Field>
          <Field label="Organisation role">
            {(ids) => (
              <select {...ids} value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {roles.filter((r) => r !== 'owner').map((r) => <option key={r}>{r}</option>)}
              </select>
            )}
          </Field>
          <button type="submit" disabled={invite.isPending}>Send invitation</button>
        </div>
        <p className="hint">The invitation link is emailed; it is never shown here.</p>
      </form>
      {invite.isSuccess && <p className="success" role="status">Invitation sent to {invite.data.email}.</p>}
      <ErrorMessage error={invite.error ?? revoke.error} />
      {invitations.isPending ? <Loading what="Loading invitations" /> : invitations.error ? <ErrorMessage error={invitations.error} /> : invitations.data.invitations.length === 0 ? <p className="hint">No open invitations.</p> : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Open invitations</caption>
            <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Expires</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {invitations.data.invitations.map((i) => (
                <tr key={i.id}>
                  <td>{i.email}</td>
                  <td>{i.role}</td>
                  <td>{formatDateTime(i.expiresAt)}</td>
                  <td><button type="button" className="secondary" onClick={() => revoke.mutate(i.id)}>Revoke invitation for {i.email}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

interface Organisation {
  name: string;
  mfaRequiredForAdmins: boolean;
  mfaRequiredForAll: boolean;
}

export function OrganisationSection() {
  const queryClient = useQueryClient();
  const organisation = useQuery({ queryKey: ['organisation'], queryFn: () => api<Organisation>('/api/v1/organisation') });
  const update = useMutation({
    mutationFn: (patch: Partial<Organisation>) => api<Organisation>('/api/v1/organisation', { method: 'PATCH', body: patch }),
    onSuccess: (org) => queryClient.setQueryData(['organisation'], org),
  });
  if (organisation.isPending) return <Loading what="Loading the organisation" />;
  if (organisation.error) return <ErrorMessage error={organisation.error} />;
  const org = organisation.data;
  return (
    <>
      <p>Organisation: <strong>{org.name}</strong></p>
      <ErrorMessage error={update.error} />
      <label className="checkbox">
        <input type="checkbox" checked={org.mfaRequiredForAdmins} onChange={(e) => update.mutate({ mfaRequiredForAdmins: e.target.checked })} /> Require two-factor sign-in for owners and admins
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={org.mfaRequiredForAll} onChange={(e) => update.mutate({ mfaRequiredForAll: e.target.checked })} /> Require two-factor sign-in for everyone
      </label>
      <p className="hint">Only the owner may change these. People without two-factor sign-in are asked to set it up at their next sign-in.</p>
    </>
  );
}
