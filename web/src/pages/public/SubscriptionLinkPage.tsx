import { useMutation } from '@tanstack/react-query';
import { useLocation } from 'react-router';
import { api } from '../../api/client.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { useFragmentToken } from '../team/shared/useFragmentToken.ts';
import '../../styles/public.css';

const words = {
  confirm: { title: 'Confirm your subscription', ask: 'Confirm that this address should receive security advisories.', button: 'Confirm my subscription', done: 'Subscribed. You will receive each advisory when it is published, and each update to it.' },
  unsubscribe: { title: 'Unsubscribe from security advisories', ask: 'Stop sending security advisories to this address.', button: 'Unsubscribe', done: 'Unsubscribed. We will send nothing more to this address.' },
};

/**
 * The pages behind the links in subscription mail. They act only when the
 * person presses the button: mail scanners and link previewers open every
 * link in a mail, and must not confirm or end anything by doing so.
 */
export default function SubscriptionLinkPage() {
  const action = useLocation().pathname.endsWith('/unsubscribe') ? 'unsubscribe' : 'confirm';
  const text = words[action];
  const token = useFragmentToken();
  const submit = useMutation({ mutationFn: () => api(`/api/v1/subscriptions/${action}?token=${encodeURIComponent(token ?? '')}`, { method: 'POST' }) });
  return (
    <section className="narrow">
      <PageTitle>{text.title}</PageTitle>
      {submit.isSuccess ? (
        <p className="success" role="status">{text.done}</p>
      ) : !token ? (
        <p className="error" role="alert">This page needs the link from your mail. Open the link exactly as it was sent.</p>
      ) : (
        <>
          <p>{text.ask}</p>
          <ErrorMessage error={submit.error} />
          <button type="button" onClick={() => submit.mutate()} disabled={submit.isPending}>{text.button}</button>
        </>
      )}
    </section>
  );
}
