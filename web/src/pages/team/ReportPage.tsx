import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import type { Me } from '../../api/me.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { AffectedPanel } from './report/AffectedPanel.tsx';
import { AssessmentPanel } from './report/AssessmentPanel.tsx';
import { AuditTrail } from './report/AuditTrail.tsx';
import { ClocksPanel } from './report/ClocksPanel.tsx';
import { CvssBuilder } from './report/CvssBuilder.tsx';
import { DisclosurePanel } from './report/DisclosurePanel.tsx';
import { ReportAdmin } from './report/ReportAdmin.tsx';
import { SimilarReports } from './report/SimilarReports.tsx';
import { AttachmentLink, Thread } from './report/Thread.tsx';
import { WorkflowActions } from './report/WorkflowActions.tsx';
import { reportKey } from './report/useReportAction.ts';
import { formatDateTime, words } from './shared/format.ts';
import { SignedIn } from './shared/SignedIn.tsx';
import { isArmoredMessage, ZeroKnowledgeDecrypt } from './ZeroKnowledgeDecrypt.tsx';
import type { Member, TeamReport } from './shared/types.ts';
import '../../styles/team.css';

export default function ReportPage() {
  const { reportId = '' } = useParams();
  return <SignedIn>{(me) => <ReportView reportId={reportId} me={me} />}</SignedIn>;
}

const fieldNames: Array<[keyof TeamReport['content'], string]> = [
  ['description', 'Description'],
  ['steps_to_reproduce', 'Steps to reproduce'],
  ['impact', 'Impact'],
  ['suggested_fix', 'Suggested fix'],
];

/** The states an advisory can be drafted from (the server's linkable states, src/services/advisories/linked-reports.ts). */
const advisoryStates = new Set(['accepted', 'fix_in_progress', 'fixed', 'disclosed']);

function ReportView({ reportId, me }: { reportId: string; me: Me }) {
  const report = useQuery({ queryKey: reportKey(reportId, 'report'), queryFn: () => api<TeamReport>(`/api/v1/reports/${reportId}`) });
  const slug = report.data?.project.slug;
  const members = useQuery({
    queryKey: ['members', slug],
    queryFn: () => api<{ members: Member[] }>(`/api/v1/projects/${encodeURIComponent(slug!)}/members`),
    enabled: Boolean(slug),
    staleTime: 300_000,
    retry: false,
  });
  if (report.isPending) return <><PageTitle>Report</PageTitle><Loading what="Loading the report" /></>;
  if (report.isError) return <><PageTitle>Report</PageTitle><ErrorMessage error={report.error} /></>;
  const r = report.data;
  const memberList = members.data?.members ?? [];
  const byId = new Map(memberList.map((m) => [m.userId, m]));
  const myRole = byId.get(me.id)?.role;
  const canWrite = me.role !== 'member' || myRole === 'triager' || myRole === 'project_admin';
  const looseAttachments = r.attachments.filter((a) => a.messageId === null);
  const versionText = r.content.affected_versions?.text;

  return (
    <article>
      <p><Link to="/inbox">← Inbox</Link></p>
      <PageTitle title={`${r.humanId}: ${r.title}`}>
        <span className="hint">{r.humanId}</span> {r.title}
      </PageTitle>
      <div className="report-header">
        <span className="badge neutral">{words(r.state)}</span>
        {r.assessment.severity && <span className={`severity severity-${r.assessment.severity}`}>{r.assessment.severity}</span>}
        {r.spam && <span className="badge bad">Spam</span>}
        <span>Project: {r.project.name}</span>
        <span>Received {formatDateTime(r.receivedAt)} via {r.source}</span>
        {!canWrite && <span className="badge neutral">Read-only: you are a viewer on this project</span>}
      </div>

      {r.encryptedToTeam && (
        // Zero-knowledge mode: fields and files arrive encrypted to the project's offline key; decrypted in this browser only.
        <ZeroKnowledgeDecrypt
          fields={[
            ...fieldNames.filter(([key]) => isArmoredMessage(r.content[key])).map(([key, name]) => ({ label: name, armored: String(r.content[key]) })),
            ...(isArmoredMessage(versionText) ? [{ label: 'Affected versions', armored: versionText }] : []),
            ...Object.entries(r.content.answers ?? {}).filter(([, a]) => isArmoredMessage(a)).map(([q, a]) => ({ label: q, armored: String(a) })),
          ]}
          attachments={r.attachments.filter((a) => a.filename.endsWith('.asc')).map((a) => ({
            id: a.id,
            filename: a.filename,
            load: async () => new Uint8Array(await (await fetch(`/api/v1/reports/${r.id}/attachments/${a.id}`, { credentials: 'same-origin' })).arrayBuffer()),
          }))}
        />
      )}

      <div className="columns">
        <div>
          <section aria-labelledby="content-title">
            <h2 id="content-title">Report</h2>
            {fieldNames.map(([key, name]) =>
              r.content[key] ? (
                <div key={key}>
                  <h3>{name}</h3>
                  {r.encryptedToTeam && String(r.content[key]).startsWith('-----BEGIN PGP MESSAGE-----') ? <pre>{String(r.content[key])}</pre> : <p className="report-field">{String(r.content[key])}</p>}
                </div>
              ) : null,
            )}
            {r.content.answers && Object.keys(r.content.answers).length > 0 && (
              <>
                <h3>Answers to the project's questions</h3>
                <dl className="facts">
                  {Object.entries(r.content.answers).map(([q, a]) => (
                    <div key={q} className="fact-row"><dt>{q}</dt><dd className="report-field">{a}</dd></div>
                  ))}
                </dl>
              </>
            )}
            <h3>Reporter</h3>
            <dl className="facts">
              <dt>Credit</dt>
              <dd>{r.credit.mode === 'named' ? `Named: ${r.credit.name ?? ''}` : r.credit.mode}</dd>
              <dt>Contact</dt>
              <dd>{r.contact?.email ?? r.contact?.uri ?? 'only through the follow-up link'}{r.contact?.publicKey ? ' (OpenPGP key given)' : ''}</dd>
            </dl>
            {looseAttachments.length > 0 && (
              <>
                <h3>Attachments</h3>
                <ul>{looseAttachments.map((a) => <li key={a.id}><AttachmentLink reportId={r.id} attachment={a} /></li>)}</ul>
              </>
            )}
          </section>
          <Thread report={r} members={byId} canWrite={canWrite} />
          <AuditTrail reportId={r.id} members={byId} />
        </div>
        <div className="side">
          {canWrite && <WorkflowActions report={r} />}
          {canWrite && advisoryStates.has(r.state) && (
            <section aria-labelledby="advisory-title" className="card">
              <h2 id="advisory-title">Advisory</h2>
              <p className="hint">Draft the public advisory from this report; a project admin publishes it.</p>
              <Link className="button" to={`/projects/${encodeURIComponent(r.project.slug)}/advisories/new?report=${encodeURIComponent(r.id)}`}>Draft an advisory</Link>
            </section>
          )}
          <ClocksPanel reportId={r.id} />
          {canWrite && <CvssBuilder report={r} />}
          {canWrite && <AssessmentPanel report={r} members={memberList} me={me} />}
          <AffectedPanel report={r} />
          <DisclosurePanel reportId={r.id} canWrite={canWrite} />
          <SimilarReports reportId={r.id} />
          {canWrite && <ReportAdmin report={r} />}
        </div>
      </div>
    </article>
  );
}
