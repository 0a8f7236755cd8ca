import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Field } from '../../ui/Field.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { filtersFrom, inboxQuery, loadViews, storeViews, type FilterKey, type Filters } from './inbox/filters.ts';
import { ShortcutHelp } from './inbox/ShortcutHelp.tsx';
import { useShortcuts } from './inbox/useShortcuts.ts';
import { ageOf, words } from './shared/format.ts';
import { SignedIn } from './shared/SignedIn.tsx';
import { SlaBadge } from './shared/SlaBadge.tsx';
import { memberName, reportStates, severities, type InboxRow } from './shared/types.ts';
import { useMembersOf } from './shared/useMembers.ts';
import '../../styles/team.css';

export default function InboxPage() {
  return (
    <section>
      <PageTitle>Inbox</PageTitle>
      <SignedIn>{() => <Inbox />}</SignedIn>
    </section>
  );
}

interface InboxPage {
  reports: InboxRow[];
  nextCursor: string | null;
}

function Inbox() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const navigate = useNavigate();
  const searchRef = useRef<HTMLInputElement>(null);
  const helpRef = useRef<HTMLDialogElement>(null);
  const [selected, setSelected] = useState(0);

  const projects = useQuery({ queryKey: ['projects'], queryFn: () => api<{ projects: Array<{ slug: string; name: string }> }>('/api/v1/projects') });
  const inbox = useInfiniteQuery({
    queryKey: ['inbox', filters],
    queryFn: ({ pageParam }) => api<InboxPage>(`/api/v1/reports?${inboxQuery(filters, pageParam)}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = useMemo(() => inbox.data?.pages.flatMap((p) => p.reports) ?? [], [inbox.data]);
  const members = useMembersOf(rows.map((r) => r.project));
  useEffect(() => setSelected((current) => Math.min(current, Math.max(rows.length - 1, 0))), [rows.length]);
  useEffect(() => {
    document.querySelector(`[data-row="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const setFilter = (key: FilterKey, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setSelected(0);
  };
  const applyFilters = (chosen: Filters) => {
    setParams(new URLSearchParams(Object.entries(chosen).filter(([, v]) => v) as Array<[string, string]>), { replace: true });
    setSelected(0);
  };

  useShortcuts({
    j: () => setSelected((s) => Math.min(s + 1, rows.length - 1)),
    k: () => setSelected((s) => Math.max(s - 1, 0)),
    Enter: () => rows[selected] && navigate(`/reports/${rows[selected].id}`),
    o: () => rows[selected] && navigate(`/reports/${rows[selected].id}`),
    '/': () => searchRef.current?.focus(),
    '?': () => helpRef.current?.showModal(),
  });

  const [search, setSearch] = useState(filters.q ?? '');
  useEffect(() => setSearch(filters.q ?? ''), [filters.q]);
  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    setFilter('q', search.trim());
  };

  return (
    <>
      <div className="inbox-toolbar">
        <form role="search" onSubmit={submitSearch} className="inbox-search">
          <Field label="Search titles" hint="At least 2 characters. Only projects that keep titles in clear (report_form.title_in_clear) can be searched; sealed titles cannot. Press / to come here.">
            {(ids) => <input {...ids} ref={searchRef} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />}
          </Field>
          <button type="submit">Search</button>
        </form>
        <button type="button" className="secondary" onClick={() => helpRef.current?.showModal()}>Keyboard shortcuts (?)</button>
      </div>

      <details className="card filters" open>
        <summary>Filters and sorting</summary>
        <div className="filter-grid">
          <Select label="Project" value={filters.project} onChange={(v) => setFilter('project', v)} options={(projects.data?.projects ?? []).map((p) => [p.slug, p.name])} any="All projects" />
          <Select label="State" value={filters.state} onChange={(v) => setFilter('state', v)} options={reportStates.map((s) => [s, words(s)])} any="All open states" />
          <Select label="Severity" value={filters.severity} onChange={(v) => setFilter('severity', v)} options={severities.map((s) => [s, s])} any="Any severity" />
          <Select label="SLA status" value={filters.clockStatus} onChange={(v) => setFilter('clockStatus', v)} options={[['breached', 'Breached'], ['due_soon', 'Due soon'], ['on_track', 'On track'], ['paused', 'Paused'], ['none', 'No deadline']]} any="Any SLA status" />
          <Select label="Assignee" value={filters.assignee} onChange={(v) => setFilter('assignee', v)} options={[['me', 'Assigned to me'], ...[...members.values()].map((m) => [m.userId, memberName(m)] as [string, string])]} any="Anyone" />
          <LabelFilter value={filters.label ?? ''} onChange={(v) => setFilter('label', v)} />
          <Select label="Sort" value={filters.sort} onChange={(v) => setFilter('sort', v)} options={[['newest', 'Newest first'], ['oldest', 'Oldest first']]} any="Most overdue first" />
          <Select label="Closed reports" value={filters.includeClosed} onChange={(v) => setFilter('includeClosed', v)} options={[['true', 'Include closed']]} any="Hide closed" />
        </div>
        <SavedViews filters={filters} apply={applyFilters} />
      </details>

      <ErrorMessage error={inbox.error} />
      {inbox.isPending ? (
        <Loading what="Loading reports" />
      ) : rows.length === 0 ? (
        <p className="notice">No reports match these filters.</p>
      ) : (
        <div className="table-scroll">
          <table className="inbox-table">
            <caption className="visually-hidden">Reports, {rows.length} shown. Use j and k to move, Enter to open.</caption>
            <thead>
              <tr>
                <th scope="col">Report</th>
                <th scope="col">Title</th>
                <th scope="col">Project</th>
                <th scope="col">State</th>
                <th scope="col">Severity</th>
                <th scope="col">SLA</th>
                <th scope="col">Assignee</th>
                <th scope="col">Age</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const assignee = row.assigneeId ? members.get(row.assigneeId) : undefined;
                return (
                  <tr key={row.id} data-row={index} aria-selected={index === selected} className={index === selected ? 'selected' : undefined} onClick={() => setSelected(index)}>
                    <td data-label="Report"><Link to={`/reports/${row.id}`}>{row.humanId}</Link></td>
                    <td data-label="Title" className="title-cell">
                      {row.title}
                      {row.labels.length > 0 && <span className="labels">{row.labels.map((l) => <span key={l} className="label">{l}</span>)}</span>}
                    </td>
                    <td data-label="Project">{row.project}</td>
                    <td data-label="State">{words(row.state)}</td>
                    <td data-label="Severity">{row.severity ? <span className={`severity severity-${row.severity}`}>{row.severity}</span> : <span className="muted">unscored</span>}</td>
                    <td data-label="SLA"><SlaBadge status={row.clockStatus} dueAt={row.nextDueAt} /></td>
                    <td data-label="Assignee">{assignee ? memberName(assignee) : row.assigneeId ? 'someone' : <span className="muted">unassigned</span>}</td>
                    <td data-label="Age">{ageOf(row.receivedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {inbox.hasNextPage && (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => inbox.fetchNextPage()} disabled={inbox.isFetchingNextPage}>
            {inbox.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
      <ShortcutHelp ref={helpRef} />
    </>
  );
}

function Select(props: { label: string; value: string | undefined; onChange: (value: string) => void; options: Array<[string, string]>; any: string }) {
  return (
    <Field label={props.label}>
      {(ids) => (
        <select {...ids} value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value)}>
          <option value="">{props.any}</option>
          {props.options.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
        </select>
      )}
    </Field>
  );
}

function LabelFilter({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <Field label="Label" hint="Press Enter to apply.">
      {(ids) => <input {...ids} value={text} onChange={(e) => setText(e.target.value)} onBlur={() => text !== value && onChange(text.trim())} onKeyDown={(e) => e.key === 'Enter' && onChange(text.trim())} />}
    </Field>
  );
}

function SavedViews({ filters, apply }: { filters: Filters; apply: (filters: Filters) => void }) {
  const [views, setViews] = useState(loadViews);
  const [name, setName] = useState('');
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    const next = { ...views, [name.trim()]: filters };
    storeViews(next);
    setViews(next);
    setName('');
  };
  const remove = (view: string) => {
    const next = { ...views };
    delete next[view];
    storeViews(next);
    setViews(next);
  };
  const names = Object.keys(views).sort();
  return (
    <div className="saved-views">
      <h2 className="h3">Saved views</h2>
      <p className="hint">Saved in this browser only: the server keeps no saved views, so they do not follow you to another device.</p>
      {names.length > 0 && (
        <ul className="view-list">
          {names.map((view) => (
            <li key={view}>
              <button type="button" className="secondary" onClick={() => apply(views[view]!)}>{view}</button>
              <button type="button" className="link-button" onClick={() => remove(view)} aria-label={`Delete saved view ${view}`}>Delete</button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={save} className="inline-form">
        <Field label="Save the current filters as">
          {(ids) => <input {...ids} value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />}
        </Field>
        <button type="submit" className="secondary">Save view</button>
      </form>
    </div>
  );
}
