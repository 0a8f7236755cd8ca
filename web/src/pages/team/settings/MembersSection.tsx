import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import { Loading } from '../../../ui/Loading.tsx';

const projectRoles = ['project_admin', 'triager', 'viewer'] as const;
type ProjectRole = (typeof projectRoles)[number];
const roleName = (role: string) => role.replace('_', ' ');

interface Member {
  userId: string;
  email: string;
  displayName: string | null;
  role: ProjectRole;
}
interface User {
  id: string;
  email: string;
  displayName: string | null;
  disabled: boolean;
}

/** Who works on the project and in which role. Adding picks from the organisation's people when the viewer may list them. */
export function MembersSection({ slug }: { slug: string }) {
  const queryClient = useQueryClient();
  const members = useQuery({ queryKey: ['members', slug], queryFn: () => api<{ members: Member[] }>(`/api/v1/projects/${slug}/members`) });
  // Only organisation admins may list everyone; a project admin adds by user id instead.
  const users = useQuery({ queryKey: ['users'], queryFn: () => api<{ users: User[] }>('/api/v1/users'), retry: false });
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<ProjectRole>('triager');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['members', slug] });
  const setMember = useMutation({ mutationFn: (m: { userId: string; role: ProjectRole }) => api(`/api/v1/projects/${slug}/members/${m.userId}`, { method: 'PUT', body: { role: m.role } }), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (id: string) => api(`/api/v1/projects/${slug}/members/${id}`, { method: 'DELETE' }), onSuccess: refresh });

  if (members.isPending) return <Loading what="Loading members" />;
  if (members.error) return <ErrorMessage error={members.error} />;
  const current = new Set(members.data.members.map((m) => m.userId));
  const candidates = users.data?.users.filter((u) => !u.disabled && !current.has(u.id)) ?? [];
  const label = (m: { displayName: string | null; email: string }) => (m.displayName ? `${m.displayName} (${m.email})` : m.email);

  return (
    <>
      <ErrorMessage error={setMember.error ?? remove.error} />
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">Project members</caption>
          <thead>
            <tr><th scope="col">Person</th><th scope="col">Role</th><th scope="col">Actions</th></tr>
          </thead>
          <tbody>
            {members.data.members.map((m) => (
              <tr key={m.userId}>
                <td>{label(m)}</td>
                <td>
                  <label className="visually-hidden" htmlFor={`role-${m.userId}`}>Role of {label(m)}</label>
                  <select id={`role-${m.userId}`} value={m.role} onChange={(e) => setMember.mutate({ userId: m.userId, role: e.target.value as ProjectRole })}>
                    {projectRoles.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
                  </select>
                </td>
                <td><button type="button" className="secondary" onClick={() => remove.mutate(m.userId)}>Remove {label(m)}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="settings-inline-form" onSubmit={(e) => { e.preventDefault(); if (userId) setMember.mutate({ userId, role }, { onSuccess: () => setUserId('') }); }}>
        <h3>Add a member</h3>
        <div className="advisory-row">
          {users.data ? (
            <Field label="Person">
              {(ids) => (
                <select {...ids} value={userId} onChange={(e) => setUserId(e.target.value)}>
                  <option value="">Choose…</option>
                  {candidates.map((u) => <option key={u.id} value={u.id}>{label(u)}</option>)}
                </select>
              )}
            </Field>
          ) : (
            <Field label="User id" hint="Ask an organisation admin for it, or invite the person from Admin.">
              {(ids) => <input {...ids} value={userId} onChange={(e) => setUserId(e.target.value.trim())} />}
            </Field>
          )}
          <Field label="Project role">
            {(ids) => (
              <select {...ids} value={role} onChange={(e) => setRole(e.target.value as ProjectRole)}>
                {projectRoles.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
              </select>
            )}
          </Field>
          <button type="submit" disabled={!userId || setMember.isPending}>Add member</button>
        </div>
      </form>
    </>
  );
}
