import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';

const kindWords: Record<string, string> = {
  'report.received': 'New report',
  'report.message_posted': 'New message from a reporter',
  'sla.due_soon': 'Deadline due soon',
  'sla.breached': 'Deadline breached',
  'disclosure.proposed': 'Disclosure date proposed',
  'disclosure.agreed': 'Disclosure date agreed',
  'advisory.scheduled': 'Advisory scheduled',
  'advisory.published': 'Advisory published',
};
const deliveryWords = { immediate: 'Email at once', digest: 'Daily digest', off: 'Off' } as const;
type Delivery = keyof typeof deliveryWords;

/** Per event kind: mail at once, in the daily digest, or off. Security mails about the account itself cannot be turned off. */
export function NotificationsSection() {
  const queryClient = useQueryClient();
  const prefs = useQuery({ queryKey: ['account', 'notification-preferences'], queryFn: () => api<{ preferences: Record<string, Delivery> }>('/api/v1/account/notification-preferences') });
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const change = async (kind: string, delivery: Delivery) => {
    setError(null);
    setSaved(false);
    try {
      const next = await api<{ preferences: Record<string, Delivery> }>('/api/v1/account/notification-preferences', { method: 'PUT', body: { preferences: { [kind]: delivery } } });
      queryClient.setQueryData(['account', 'notification-preferences'], next);
      setSaved(true);
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section aria-labelledby="notifications-title" className="card">
      <h2 id="notifications-title">Email notifications</h2>
      <p className="hint">Mails about your account's security (new sign-in, lockout, MFA and password changes) always arrive.</p>
      <ErrorMessage error={prefs.error ?? error} />
      <div className="filter-grid">
        {Object.entries(prefs.data?.preferences ?? {}).map(([kind, delivery]) => (
          <Field key={kind} label={kindWords[kind] ?? kind}>
            {(ids) => (
              <select {...ids} value={delivery} onChange={(e) => change(kind, e.target.value as Delivery)}>
                {(Object.keys(deliveryWords) as Delivery[]).map((d) => <option key={d} value={d}>{deliveryWords[d]}</option>)}
              </select>
            )}
          </Field>
        ))}
      </div>
      <p role="status" className="hint">{saved ? 'Saved.' : ''}</p>
    </section>
  );
}
