import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Field } from '../../ui/Field.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { CwePicker } from './shared/CwePicker.tsx';
import { LifecycleActions, type LifecycleHandlers } from './advisory/LifecycleActions.tsx';
import { AffectedFields, CreditFields, ReferenceFields } from './advisory/ListFields.tsx';
import { emptyForm, formFromAdvisory, forUpdate, messagesFor, ratings, tlpLabels, toContent, type FormState, type PreviewResult, type TeamAdvisory } from './advisory/model.ts';
import { RenderedPreview, ValidationResults } from './advisory/PreviewPanel.tsx';
import '../../styles/team-advisory.css';
import { formatDateTime } from './shared/format.ts';

/**
 * Writing an advisory: the form, a live preview as the public page will show
 * it, and what OSV, CSAF and CVE make of it (checked by the server's
 * validators on every pause in typing), then the life-cycle steps.
 * `/projects/:slug/advisories/new?report=<id>` starts from an accepted report
 * (a report id is not a secret, so the query string is fine).
 */
export default function AdvisoryEditorPage() {
  const { slug = '', advisoryId } = useParams();
  const [search] = useSearchParams();
  const reportId = search.get('report');
  if (advisoryId) return <ExistingAdvisory slug={slug} advisoryId={advisoryId} />;
  if (reportId) return <NewFromReport slug={slug} reportId={reportId} />;
  return (
    <>
      <PageTitle>New advisory</PageTitle>
      <Editor slug={slug} initial={emptyForm} />
    </>
  );
}

function ExistingAdvisory({ slug, advisoryId }: { slug: string; advisoryId: string }) {
  const query = useQuery({ queryKey: ['advisory', advisoryId], queryFn: () => api<TeamAdvisory>(`/api/v1/advisories/${encodeURIComponent(advisoryId)}`) });
  if (query.isPending) return <Loading what="Loading the advisory" />;
  if (query.error) return (<><PageTitle>Advisory</PageTitle><ErrorMessage error={query.error} /></>);
  const view = query.data;
  return (
    <>
      <PageTitle title={`Edit ${view.advisory.id}`}>
        Edit advisory <span className="advisory-id">{view.advisory.id}</span>
      </PageTitle>
      <Editor key={view.advisory.id} slug={slug} view={view} initial={formFromAdvisory(view.advisory)} />
    </>
  );
}

interface ReportSummary {
  humanId: string;
  title: string;
  state: string;
}

function NewFromReport({ slug, reportId }: { slug: string; reportId: string }) {
  const navigate = useNavigate();
  const report = useQuery({ queryKey: ['report-summary', reportId], queryFn: () => api<ReportSummary>(`/api/v1/reports/${encodeURIComponent(reportId)}`) });
  const create = useMutation({
    mutationFn: () => api<TeamAdvisory>(`/api/v1/projects/${slug}/advisories`, { method: 'POST', body: { reportIds: [reportId] } }),
    onSuccess: (view) => navigate(`/projects/${slug}/advisories/${view.advisory.id}/edit`, { replace: true }),
  });
  return (
    <>
      <PageTitle>New advisory from a report</PageTitle>
      <section className="card">
        {report.isPending && <Loading what="Loading the report" />}
        {report.data && (
          <dl className="facts">
            <dt>Report</dt>
            <dd>{report.data.humanId}</dd>
            <dt>Title</dt>
            <dd>{report.data.title}</dd>
            <dt>State</dt>
            <dd>{report.data.state.replace(/_/g, ' ')}</dd>
          </dl>
        )}
        <ErrorMessage error={report.error} />
        <p>The draft starts from the team's assessment of the report: its title, impact, CWE ids, CVSS and affected products. Credits follow what the reporter chose. Nothing is published until you publish it.</p>
        <ErrorMessage error={create.error} />
        <div className="actions">
          <button type="button" disabled={create.isPending} onClick={() => create.mutate()}>Create draft from this report</button>
          <Link className="button secondary" to={`/projects/${slug}/advisories/new`}>Start from scratch instead</Link>
        </div>
      </section>
    </>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function Editor({ slug, view, initial }: { slug: string; view?: TeamAdvisory; initial: FormState }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(initial);
  const [reportIds, setReportIds] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const linkIds = reportIds.split(/[\s,]+/).filter(Boolean);

  const linked = linkIds.join(',');
  const checked = useDebounced(useMemo(() => ({ form, linkIds: linked }), [form, linked]), 500);
  const preview = useQuery({
    queryKey: ['advisory-preview', slug, view?.advisory.id ?? null, checked],
    queryFn: ({ signal }) =>
      api<PreviewResult>(`/api/v1/projects/${slug}/advisories/preview`, {
        method: 'POST',
        signal,
        body: { content: toContent(checked.form), ...(view ? { advisoryId: view.advisory.id } : checked.linkIds ? { reportIds: checked.linkIds.split(',') } : {}) },
      }),
    placeholderData: keepPreviousData,
    retry: false,
  });

  const apiErrors = actionError instanceof ApiError ? actionError.details : [];
  const errors = [...apiErrors, ...(preview.data?.content.errors ?? [])];
  const state = view?.advisory.state ?? 'draft';
  const readOnly = state === 'withdrawn';

  const run = async (what: string, step: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    setDone(null);
    try {
      await step();
      setDone(what);
    } catch (error) {
      setActionError(error);
    } finally {
      setBusy(false);
    }
  };
  const store = (next: TeamAdvisory) => queryClient.setQueryData(['advisory', next.advisory.id], next);
  const saveContent = async (revisionSummary?: string) => {
    if (!view) {
      const created = await api<TeamAdvisory>(`/api/v1/projects/${slug}/advisories`, { method: 'POST', body: { ...toContent(form), ...(linkIds.length ? { reportIds: linkIds } : {}) } });
      store(created);
      navigate(`/projects/${slug}/advisories/${created.advisory.id}/edit`, { replace: true });
      return undefined;
    }
    const body = { ...forUpdate(form), ...(revisionSummary ? { revisionSummary } : {}) };
    const saved = await api<TeamAdvisory>(`/api/v1/advisories/${view.advisory.id}`, { method: 'PATCH', body });
    store(saved);
    return saved.advisory.id;
  };
  const step = (path: string, body?: unknown) => async () => {
    const id = await saveContent();
    if (id) void store(await api<TeamAdvisory>(`/api/v1/advisories/${id}/${path}`, { method: 'POST', ...(body === undefined ? {} : { body }) }));
  };
  const handlers: LifecycleHandlers = {
    save: (revisionSummary) => run(revisionSummary ? 'Update published as a new revision.' : 'Draft saved.', async () => void (await saveContent(revisionSummary))),
    schedule: (at) => run('Scheduled.', step('schedule', at ? { at: new Date(at).toISOString() } : {})),
    unschedule: () => run('Back to draft.', step('unschedule')),
    publish: () => run('Published.', step('publish')),
    withdraw: (reason) => run('Withdrawn.', async () => void store(await api<TeamAdvisory>(`/api/v1/advisories/${view!.advisory.id}/withdraw`, { method: 'POST', body: { reason } }))),
  };

  const published = view && (view.advisory.state === 'published' || view.advisory.state === 'withdrawn');
  return (
    <div className="advisory-editor">
      <p>
        Project <Link to={`/p/${slug}`}>{slug}</Link> · State <span className="badge neutral">{state}</span>
        {published && <> · <Link to={`/advisories/${view.advisory.id}`}>Public page</Link> · <a href={`/p/${slug}/advisories.atom`}>Project feed</a></>}
      </p>
      {done && <p className="success" role="status">{done}</p>}
      <ErrorMessage error={actionError} />
      <div className="columns">
        <form className="advisory-form" onSubmit={(e) => { e.preventDefault(); if (!view) void handlers.save(); }} aria-label="Advisory content">
          <fieldset disabled={readOnly}>
            <legend>Description</legend>
            <Field label="Title" required error={messagesFor(errors, 'title')}>
              {(ids) => <input {...ids} value={form.title} maxLength={300} onChange={(e) => set('title', e.target.value)} />}
            </Field>
            <Field label="Summary" hint="One line for lists and feeds." required error={messagesFor(errors, 'summary')}>
              {(ids) => <input {...ids} value={form.summary} maxLength={1000} onChange={(e) => set('summary', e.target.value)} />}
            </Field>
            <Field label="Details (Markdown)" hint="Raw HTML is not rendered; links must be http(s)." error={messagesFor(errors, 'details')}>
              {(ids) => <textarea {...ids} className="code" rows={10} value={form.details} onChange={(e) => set('details', e.target.value)} />}
            </Field>
          </fieldset>
          <fieldset disabled={readOnly}>
            <legend>Severity and classification</legend>
            <Field label="CVSS 3.1 vector" hint="CVSS:3.1/AV:N/AC:L/…; the score is computed by the server." error={messagesFor(errors, 'severity.cvss31')}>
              {(ids) => <input {...ids} className="code" value={form.cvss31} onChange={(e) => set('cvss31', e.target.value)} />}
            </Field>
            <Field label="CVSS 4.0 vector" error={messagesFor(errors, 'severity.cvss40')}>
              {(ids) => <input {...ids} className="code" value={form.cvss40} onChange={(e) => set('cvss40', e.target.value)} />}
            </Field>
            <Field label="Rating without a vector" hint="Used only when no vector is given." error={messagesFor(errors, 'severity', { exact: true }) ?? messagesFor(errors, 'severity.rating')}>
              {(ids) => (
                <select {...ids} value={form.rating} onChange={(e) => set('rating', e.target.value)} disabled={Boolean(form.cvss31 || form.cvss40)}>
                  <option value="">none given</option>
                  {ratings.map((r) => <option key={r}>{r}</option>)}
                </select>
              )}
            </Field>
            <CwePicker heading="Weaknesses (CWE)" items={form.cweIds} busy={false} error={messagesFor(errors, 'cweIds')} onChange={async (cweIds) => { set('cweIds', cweIds); return true; }} />
            <Field label="CVE id" error={messagesFor(errors, 'cveId')}>
              {(ids) => <input {...ids} value={form.cveId} placeholder="CVE-2026-12345" onChange={(e) => set('cveId', e.target.value)} />}
            </Field>
            <Field label="Aliases" hint="Other ids for the same flaw (GHSA-…), comma-separated" error={messagesFor(errors, 'aliases')}>
              {(ids) => <input {...ids} value={form.aliases} onChange={(e) => set('aliases', e.target.value)} />}
            </Field>
            <Field label="TLP label (CSAF distribution)" hint="Only WHITE and GREEN are served by the CSAF provider." error={messagesFor(errors, 'tlp')}>
              {(ids) => (
                <select {...ids} value={form.tlp} onChange={(e) => set('tlp', e.target.value as FormState['tlp'])}>
                  {tlpLabels.map((t) => <option key={t}>{t}</option>)}
                </select>
              )}
            </Field>
          </fieldset>
          <AffectedFields value={form.affected} onChange={(v) => set('affected', v)} errors={errors} disabled={readOnly} />
          <ReferenceFields value={form.references} onChange={(v) => set('references', v)} errors={errors} disabled={readOnly} />
          <CreditFields value={form.credits} onChange={(v) => set('credits', v)} errors={errors} disabled={readOnly} />
          <fieldset>
            <legend>Linked reports</legend>
            {view ? (
              view.reports.length > 0 ? (
                <ul>
                  {view.reports.map((r) => <li key={r.id}><Link to={`/reports/${r.id}`}>{r.humanId}</Link> ({r.state.replace(/_/g, ' ')})</li>)}
                </ul>
              ) : <p className="hint">No linked report.</p>
            ) : (
              <Field label="Report ids to link" hint="Accepted reports of this project (e.g. PAYQI-2026-0001), comma-separated. Publishing discloses them." error={messagesFor(errors, 'reportIds')}>
                {(ids) => <input {...ids} value={reportIds} onChange={(e) => setReportIds(e.target.value)} />}
              </Field>
            )}
          </fieldset>
          {!view && <button type="submit" disabled={busy}>Save draft</button>}
        </form>
        <aside aria-label="Preview and validation" className="advisory-side">
          <ValidationResults result={preview.data} checking={preview.isFetching} error={preview.error} />
          <RenderedPreview id={view?.advisory.id ?? 'New draft'} form={form} result={preview.data} />
        </aside>
      </div>
      {view && <LifecycleActions view={view} busy={busy} handlers={handlers} />}
      {view && view.advisory.revisions.length > 0 && (
        <section>
          <h2>Revisions</h2>
          <ol>
            {view.advisory.revisions.map((r) => <li key={r.number}>{formatDateTime(r.date)}: {r.summary}</li>)}
          </ol>
        </section>
      )}
    </div>
  );
}
