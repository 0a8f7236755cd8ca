import { useMutation, useQuery } from '@tanstack/react-query';
import { createContext, Fragment, useContext, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { describeCredit, describeTargetWithNote, describeWeekdays, severityLabels, targetStageLabels, type TargetStage } from '../../../../src/domain/policy/describe.ts';
import { formatDuration, type ResponseTarget } from '../../../../src/domain/policy/targets.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Field } from '../../ui/Field.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { safeHref, severityBadge, useAdvisories, type Acknowledgement } from '../shared/advisories.ts';
import { formatDate, useIntakeInfo, useProject, type Policy } from '../shared/project.ts';
import '../../styles/public.css';

/**
 * A project's security policy for people: how to report, scope, supported
 * versions, response targets, disclosure and credit, its advisories and hall
 * of fame. Markdown from the policy is shown as text (not rendered), so
 * nothing in a policy can become markup here.
 */
export default function ProjectPage() {
  const { slug = '' } = useParams();
  const project = useProject(slug);
  const intake = useIntakeInfo(slug);
  if (project.isPending) return <Loading what="Loading the security policy" />;
  if (!project.data) {
    return (
      <section>
        <PageTitle>Security policy</PageTitle>
        <ErrorMessage error={project.error} />
      </section>
    );
  }
  const { name, policy, links, markdownHtml } = project.data;
  const hasKey = Boolean(intake.data?.encryption);
  return (
    <MarkdownContext.Provider value={markdownHtml}>
    <article>
      <header className="project-header">
        <div>
          <PageTitle title={`${name} security policy`}>{name}</PageTitle>
          <p className="hint">Security policy · revision {project.data.policyRevision}{policy.last_updated ? ` · last updated ${policy.last_updated}` : ''}</p>
        </div>
        <Link className="button" to={`/p/${slug}/report`}>Report a vulnerability</Link>
      </header>
      <Markdown path="project.description" />
      <Markdown path="intro" />
      <div className="columns">
        <div>
          <HowToReport slug={slug} policy={policy} hasKey={hasKey} />
          <Scope policy={policy} />
          <SupportedVersions policy={policy} />
          <ResponseTargets policy={policy} />
          <DisclosureRules policy={policy} />
          {policy.extra_sections.map((section) => (
            <section key={section.title}>
              <h2>{section.title}</h2>
              <Markdown path={`extra_sections.${policy.extra_sections.indexOf(section)}.body`} />
            </section>
          ))}
          <ProjectAdvisories slug={slug} />
          <HallOfFame slug={slug} policy={policy} />
        </div>
        <aside aria-label="Documents and feeds">
          <div className="card">
            <h2>Documents</h2>
            <ul>
              <li><a href={links.securityMd}>SECURITY.md</a></li>
              <li><a href={links.securityTxt}>security.txt</a></li>
              {hasKey && <li><a href={`/p/${slug}/pgp-key.txt`}>OpenPGP key</a></li>}
              <li><a href={links.policyYaml}>Policy file (YAML)</a></li>
            </ul>
            <h2>Feeds</h2>
            <ul>
              <li><a href={`/p/${slug}/advisories.atom`}>Advisories (Atom)</a></li>
              <li><a href={`/p/${slug}/advisories/all.zip`}>All advisories (OSV, zip)</a></li>
            </ul>
          </div>
          <Subscribe slug={slug} name={name} />
        </aside>
      </div>
      <Markdown path="footer" className="hint" />
    </article>
    </MarkdownContext.Provider>
  );
}

const MarkdownContext = createContext<Record<string, string>>({});

/** A Markdown field of the policy, as the HTML the server rendered and sanitised (allow-list, no raw HTML, http(s)/mailto links only). */
function Markdown({ path, className, as: Tag = 'div' }: { path: string; className?: string; as?: 'div' | 'li' }) {
  const html = useContext(MarkdownContext)[path];
  if (html === undefined) return null;
  // Safe: sanitised by the server before it reached this page (see above); never client-built HTML.
  return <Tag className={['markdown', className].filter(Boolean).join(' ')} dangerouslySetInnerHTML={{ __html: html }} />;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function HowToReport({ slug, policy, hasKey }: { slug: string; policy: Policy; hasKey: boolean }) {
  return (
    <Section title="How to report">
      <p>Please report privately, not in a public issue. The report form needs no account, and you can stay anonymous.</p>
      <p><Link to={`/p/${slug}/report`}>Use the private report form</Link>, or one of these contacts:</p>
      <ul aria-label="Contacts">
        {policy.contacts.map((contact) => {
          const target = contact.kind === 'email' ? `mailto:${contact.address}` : contact.url;
          const text = contact.kind === 'email' ? contact.address : contact.label ?? contact.url;
          const href = safeHref(target);
          return (
            <li key={target}>
              {contact.kind === 'email' && contact.label ? `${contact.label}: ` : ''}
              {href ? <a href={href}>{text}</a> : text}
              {contact.note ? ` (${contact.note})` : ''}
            </li>
          );
        })}
      </ul>
      {(hasKey || policy.encryption) && (
        <p>
          {hasKey ? <>Encrypt to the project's <a href={`/p/${slug}/pgp-key.txt`}>OpenPGP key</a>. </> : null}
          {policy.encryption?.fingerprint && <>Fingerprint: <code className="fingerprint">{policy.encryption.fingerprint}</code>. </>}
          {policy.encryption?.statement}
        </p>
      )}
      {policy.preferred_languages && <p>Preferred languages: {policy.preferred_languages.join(', ')}.</p>}
    </Section>
  );
}

function Scope({ policy }: { policy: Policy }) {
  if (policy.scope.in.length === 0 && policy.scope.out.length === 0 && !policy.bug_bounty) return null;
  return (
    <Section title="Scope">
      {policy.scope.in.length > 0 && (
        <>
          <h3>In scope</h3>
          <ul>{policy.scope.in.map((item, i) => <Markdown key={item} as="li" path={`scope.in.${i}`} />)}</ul>
        </>
      )}
      {policy.scope.out.length > 0 && (
        <>
          <h3>Out of scope</h3>
          <ul>{policy.scope.out.map((item, i) => <Markdown key={item} as="li" path={`scope.out.${i}`} />)}</ul>
        </>
      )}
      {policy.bug_bounty && (
        <>
        <p>
          {policy.bug_bounty.offered ? 'A bug bounty is offered.' : 'There is no bug bounty.'}
          {policy.bug_bounty.url && safeHref(policy.bug_bounty.url) && <> <a href={safeHref(policy.bug_bounty.url)}>Bounty details</a></>}
        </p>
        <Markdown path="bug_bounty.statement" />
        </>
      )}
    </Section>
  );
}

function SupportedVersions({ policy }: { policy: Policy }) {
  const versions = policy.supported_versions;
  return (
    <Section title="Supported versions">
      <Markdown path="supported_versions.intro" />
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">Versions that receive security fixes</caption>
          <thead><tr><th scope="col">Version</th><th scope="col">Security fixes</th></tr></thead>
          <tbody>
            {versions.rows.map((row) => (
              <tr key={row.label}>
                <td>{row.label}</td>
                <td>{row.supported ? <span className="badge ok">Supported</span> : <span className="badge bad">Not supported</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Markdown path="supported_versions.note" className="hint" />
    </Section>
  );
}

const stages: TargetStage[] = ['acknowledgement', 'initial_assessment', 'status_update', 'general_questions'];

function ResponseTargets({ policy }: { policy: Policy }) {
  const targets = policy.response_targets;
  const fix = targets.fix;
  const usesBusinessDays = JSON.stringify(targets).includes('"business":true');
  return (
    <Section title="Response targets">
      <dl className="facts">
        {stages.map((stage) => {
          const target = targets[stage] as ResponseTarget | undefined;
          return target ? (
            <Fragment key={stage}>
              <dt>{targetStageLabels[stage]}</dt>
              <dd>{describeTargetWithNote(target)}</dd>
            </Fragment>
          ) : null;
        })}
      </dl>
      {fix && Object.values(fix).some(Boolean) && (
        <div className="table-scroll">
          <table>
            <caption>Fix targets by severity</caption>
            <thead><tr><th scope="col">Severity</th><th scope="col">Fixed</th></tr></thead>
            <tbody>
              {(['critical', 'high', 'medium', 'low'] as const).map((severity) => {
                const target = fix[severity];
                return target ? (
                  <tr key={severity}>
                    <td>{severityLabels[severity]}</td>
                    <td>{describeTargetWithNote(target)}</td>
                  </tr>
                ) : null;
              })}
            </tbody>
          </table>
        </div>
      )}
      {usesBusinessDays && (
        <p className="hint">
          Business days are {describeWeekdays(targets.business_days.weekdays)}, in {targets.timezone}
          {targets.business_days.holidays.length > 0 ? `, except ${targets.business_days.holidays.length} listed holidays` : ''}.
        </p>
      )}
      {policy.response_process.length > 0 && (
        <>
          <h3>What happens after you report</h3>
          <ol>{policy.response_process.map((step, i) => <Markdown key={step} as="li" path={`response_process.${i}`} />)}</ol>
        </>
      )}
    </Section>
  );
}

function DisclosureRules({ policy }: { policy: Policy }) {
  const d = policy.disclosure;
  const facts: string[] = [];
  if (d.embargo) facts.push(`Details stay private for up to ${formatDuration(d.embargo)} after the report${d.max_extension ? `, extendable by up to ${formatDuration(d.max_extension)}` : ''}.`);
  if (d.disclose_after_fix === true) facts.push('Details are published only once a fix is available.');
  if (d.reporter_consulted === true) facts.push('You are consulted on the disclosure date.');
  if (d.advisory_channels.length > 0) facts.push(`Advisories are published in: ${d.advisory_channels.join(', ')}.`);
  if (facts.length === 0 && d.steps.length === 0 && !d.credit) return null;
  return (
    <Section title="Disclosure">
      {facts.map((fact) => <p key={fact}>{fact}</p>)}
      {d.steps.length > 0 && <ol>{d.steps.map((step, i) => <Markdown key={step} as="li" path={`disclosure.steps.${i}`} />)}</ol>}
      {d.credit && (
        <>
          <h3>Credit</h3>
          <p>{describeCredit(d.credit)}{d.credit.anonymous_allowed === true ? ' Anonymous reports are welcome.' : ''}</p>
        </>
      )}
    </Section>
  );
}

function ProjectAdvisories({ slug }: { slug: string }) {
  const advisories = useAdvisories(slug);
  return (
    <Section title="Advisories">
      {advisories.isPending && <Loading what="Loading advisories" />}
      <ErrorMessage error={advisories.error} />
      {advisories.data?.advisories.length === 0 && <p>No advisory has been published yet.</p>}
      {advisories.data && advisories.data.advisories.length > 0 && (
        <ul className="advisory-list">
          {advisories.data.advisories.map((advisory) => {
            const badge = severityBadge(advisory.severity);
            return (
              <li key={advisory.id}>
                <h3><Link to={`/advisories/${advisory.id}`} className={advisory.state === 'withdrawn' ? 'withdrawn' : undefined}>{advisory.title}</Link></h3>
                <p className="hint">
                  {advisory.id}{advisory.cveId ? ` · ${advisory.cveId}` : ''} · <span className={badge.className}>{badge.text}</span>
                  {advisory.state === 'withdrawn' ? ' · withdrawn' : advisory.published ? ` · ${formatDate(advisory.published)}` : ''}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

function HallOfFame({ slug, policy }: { slug: string; policy: Policy }) {
  const people = useQuery({ queryKey: ['acknowledgements', slug], queryFn: () => api<{ acknowledgements: Acknowledgement[] }>(`/p/${encodeURIComponent(slug)}/acknowledgements.json`) });
  const listed = policy.acknowledgements?.entries ?? [];
  const credited = people.data?.acknowledgements ?? [];
  if (!policy.acknowledgements && credited.length === 0) return null;
  return (
    <Section title="Hall of fame">
      <Markdown path="acknowledgements.statement" />
      {(listed.length > 0 || credited.length > 0) && (
        <ul aria-label="Acknowledged reporters">
          {credited.map((person) => {
            const href = person.contact.map(safeHref).find(Boolean);
            return (
              <li key={`credit-${person.name}`}>
                {href ? <a href={href} rel="nofollow noopener">{person.name}</a> : person.name}
                {' — '}
                {person.advisories.map((a, i) => (
                  <span key={a.id}>{i > 0 ? ', ' : ''}<Link to={`/advisories/${a.id}`}>{a.id}</Link></span>
                ))}
              </li>
            );
          })}
          {listed.map((entry) => {
            const href = entry.url ? safeHref(entry.url) : undefined;
            return (
              <li key={`listed-${entry.name}-${entry.date ?? ''}`}>
                {href ? <a href={href} rel="nofollow noopener">{entry.name}</a> : entry.name}
                {entry.date ? ` (${entry.date})` : ''}{entry.note ? ` — ${entry.note}` : ''}
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

function Subscribe({ slug, name }: { slug: string; name: string }) {
  const subscribe = useMutation({
    mutationFn: (email: string) => api<{ message: string }>('/api/v1/subscriptions', { method: 'POST', body: { email, project: slug } }),
  });
  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        subscribe.mutate(String(new FormData(event.currentTarget).get('email') ?? '').trim());
      }}
    >
      <h2>Get {name}'s advisories by email</h2>
      <Field label="Email address" hint="We send a confirmation link first; nothing arrives until you confirm on the page it opens.">
        {(ids) => <input {...ids} name="email" type="email" required autoComplete="email" maxLength={254} />}
      </Field>
      <ErrorMessage error={subscribe.error} />
      <button type="submit" disabled={subscribe.isPending}>Subscribe</button>
      {subscribe.isSuccess && <p className="success" role="status">Check your inbox: {subscribe.data.message}</p>}
    </form>
  );
}
