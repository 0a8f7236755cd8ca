import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { formatDateTime } from '../shared/format.ts';

/** The topics a webhook may subscribe to (src/domain/webhooks/events.ts). */
const eventTypes = ['report.received', 'report.state_changed', 'sla.due_soon', 'sla.breached', 'disclosure.agreed', 'advisory.published', 'advisory.updated', 'advisory.withdrawn'] as const;

interface Webhook {
  id: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  consecutiveFailures: number;
  disabledAt: string | null;
  createdAt: string;
}
interface Delivery {
  id: string;
  eventType: string;
  status: 'pending' | 'delivered';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  responseExcerpt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export function WebhooksSection({ slug }: { slug: string }) {
  const queryClient = useQueryClient();
  const webhooks = useQuery({ queryKey: ['webhooks', slug], queryFn: () => api<{ webhooks: Webhook[] }>(`/api/v1/projects/${slug}/webhooks`) });
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['advisory.published']);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhooks', slug] });
  const create = useMutation({
    mutationFn: () => api<Webhook & { secret: string }>(`/api/v1/projects/${slug}/webhooks`, { method: 'POST', body: { url, eventTypes: events } }),
    onSuccess: (created) => {
      setSecret({ url: created.url, secret: created.secret });
      setUrl('');
      void refresh();
    },
  });
  const change = useMutation({ mutationFn: (w: { id: string; enabled: boolean }) => api(`/api/v1/projects/${slug}/webhooks/${w.id}`, { method: 'PATCH', body: { enabled: w.enabled } }), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (id: string) => api(`/api/v1/projects/${slug}/webhooks/${id}`, { method: 'DELETE' }), onSuccess: refresh });

  return (
    <>
      <form className="settings-inline-form" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        <h3>Add a webhook</h3>
        <Field label="Payload URL" hint="https:// (loopback http only in development). Deliveries are signed per Standard Webhooks.">
          {(ids) => <input {...ids} type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />}
        </Field>
        <fieldset>
          <legend>Events</legend>
          <div className="checkbox-grid">
            {eventTypes.map((type) => (
              <label key={type} className="checkbox">
                <input type="checkbox" checked={events.includes(type)} onChange={(e) => setEvents(e.target.checked ? [...events, type] : events.filter((t) => t !== type))} /> <code>{type}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <ErrorMessage error={create.error} />
        <button type="submit" disabled={create.isPending || events.length === 0}>Add webhook</button>
      </form>
      {secret && (
        <div className="success" role="status">
          <p>Webhook added for <code>{secret.url}</code>. Its signing secret is shown only now; store it where the receiver verifies signatures:</p>
          <p><code className="secret">{secret.secret}</code></p>
          <button type="button" className="secondary" onClick={() => setSecret(null)}>I have stored the secret</button>
        </div>
      )}
      <ErrorMessage error={change.error ?? remove.error} />
      {webhooks.isPending ? <Loading what="Loading webhooks" /> : webhooks.error ? <ErrorMessage error={webhooks.error} /> : webhooks.data.webhooks.length === 0 ? <p className="hint">No webhooks yet.</p> : (
        <ul className="webhook-list">
          {webhooks.data.webhooks.map((w) => (
            <li key={w.id} className="card">
              <p className="webhook-url"><code>{w.url}</code></p>
              <p>
                <span className={`badge ${w.enabled ? 'ok' : 'bad'}`}>{w.enabled ? 'enabled' : 'disabled'}</span>{' '}
                {w.consecutiveFailures > 0 && <span className="badge warn">{w.consecutiveFailures} failures in a row</span>} {w.eventTypes.map((t) => <code key={t} className="event-type">{t}</code>)}
              </p>
              <div className="actions">
                <button type="button" className="secondary" onClick={() => change.mutate({ id: w.id, enabled: !w.enabled })}>{w.enabled ? 'Disable' : 'Enable'} webhook</button>
                <button type="button" className="secondary" onClick={() => remove.mutate(w.id)}>Delete webhook</button>
              </div>
              <Deliveries slug={slug} webhook={w} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Deliveries({ slug, webhook }: { slug: string; webhook: Webhook }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const key = ['deliveries', slug, webhook.id];
  const deliveries = useQuery({ queryKey: key, queryFn: () => api<{ deliveries: Delivery[] }>(`/api/v1/projects/${slug}/webhooks/${webhook.id}/deliveries`), enabled: open });
  const redeliver = useMutation({
    mutationFn: (id: string) => api(`/api/v1/projects/${slug}/webhooks/${webhook.id}/deliveries/${id}/redeliver`, { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Delivery log</summary>
      {deliveries.isFetching && <Loading what="Loading deliveries" />}
      <ErrorMessage error={deliveries.error ?? redeliver.error} />
      {redeliver.isSuccess && <p className="success" role="status">Queued for redelivery.</p>}
      {deliveries.data && (deliveries.data.deliveries.length === 0 ? <p className="hint">No deliveries yet.</p> : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Deliveries to {webhook.url}</caption>
            <thead>
              <tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Response</th><th scope="col">Attempts</th><th scope="col">Created</th><th scope="col">Actions</th></tr>
            </thead>
            <tbody>
              {deliveries.data.deliveries.map((d) => (
                <tr key={d.id}>
                  <td><code>{d.eventType}</code></td>
                  <td><span className={`badge ${d.status === 'delivered' ? 'ok' : 'warn'}`}>{d.status}</span></td>
                  <td>
                    {d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : 'no answer'}
                    {d.lastError && <div className="hint">{d.lastError}</div>}
                    {d.responseExcerpt && <pre className="excerpt">{d.responseExcerpt}</pre>}
                  </td>
                  <td>{d.attempts}</td>
                  <td>{formatDateTime(d.createdAt)}</td>
                  <td><button type="button" className="secondary" onClick={() => redeliver.mutate(d.id)}>Redeliver</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </details>
  );
}
