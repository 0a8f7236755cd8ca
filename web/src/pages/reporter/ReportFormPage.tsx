import { useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, session } from '../../api/client.ts';
import { describeCredit } from '../../../../src/domain/policy/describe.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Field } from '../../ui/Field.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { formatBytes, useIntakeInfo, useProject, type IntakeInfo, type Policy } from '../shared/project.ts';
import { encryptorFor } from './encrypt.ts';
import { Receipt, type ReceiptData } from './Receipt.tsx';
import '../../styles/public.css';

type TextField = 'description' | 'steps_to_reproduce' | 'impact' | 'suggested_fix';
const textFields: { name: TextField; label: string; hint: string }[] = [
  { name: 'description', label: 'Description', hint: 'What is the vulnerability, and where is it?' },
  { name: 'steps_to_reproduce', label: 'Steps to reproduce', hint: 'Exact steps, requests or a proof of concept, so the team can see it for themselves.' },
  { name: 'impact', label: 'Impact', hint: 'What could an attacker do with it, and who is affected?' },
  { name: 'suggested_fix', label: 'Suggested fix or mitigation', hint: 'Optional ideas; the team decides the fix.' },
];

/** A neutral title for zero-knowledge reports: the real one travels encrypted inside the description. */
const SEALED_TITLE = 'Encrypted report';

/**
 * The private report form, built from the project's policy: which fields it
 * asks for, its extra questions, its supported versions and credit rule, and
 * the operator's attachment limits. With a project key, fields can be
 * encrypted in the browser; when Embargo holds no private key (zero-knowledge
 * mode) every field and file is encrypted here, always.
 */
export default function ReportFormPage() {
  const { slug = '' } = useParams();
  const project = useProject(slug);
  const intake = useIntakeInfo(slug);
  const [receipt, setReceipt] = useState<ReceiptData | null>(null);

  if (project.isPending || intake.isPending) return <Loading what="Loading the report form" />;
  if (project.error || intake.error || !project.data || !intake.data) {
    return (
      <section>
        <PageTitle>Report a vulnerability</PageTitle>
        <ErrorMessage error={project.error ?? intake.error} />
      </section>
    );
  }
  if (receipt) return <Receipt receipt={receipt} projectName={project.data.name} />;
  return <ReportForm slug={slug} name={project.data.name} policy={project.data.policy} intake={intake.data} onSubmitted={setReceipt} />;
}

function ReportForm({ slug, name, policy, intake, onSubmitted }: { slug: string; name: string; policy: Policy; intake: IntakeInfo; onSubmitted: (receipt: ReceiptData) => void }) {
  const fields = policy.report_form.fields;
  const questions = policy.report_form.extra_questions;
  const credit = policy.disclosure.credit;
  const zeroKnowledge = intake.encryption !== null && !intake.encryption.serverCanDecrypt;
  const [encryptOptIn, setEncryptOptIn] = useState(false);
  const encrypting = zeroKnowledge || (intake.encryption !== null && encryptOptIn);
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // One key per report being written: a retry after a lost answer returns the same receipt instead of a second report.
  const idempotencyKey = useRef(crypto.randomUUID());
  const fileInput = useRef<HTMLInputElement>(null);

  const limits = intake.attachments;
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  const fileProblems = [
    ...files.filter((file) => file.size > limits.maxFileBytes).map((file) => `"${file.name}" is larger than the ${formatBytes(limits.maxFileBytes)} allowed per file.`),
    ...(totalBytes > limits.maxReportBytes ? [`Together the files take ${formatBytes(totalBytes)}, more than the ${formatBytes(limits.maxReportBytes)} allowed for a report.`] : []),
    ...(files.length > limits.maxCount ? [`A report can hold at most ${limits.maxCount} files.`] : []),
  ];

  const addFiles = (list: FileList | null) => {
    if (list) setFiles((current) => [...current, ...Array.from(list)]);
    if (fileInput.current) fileInput.current.value = '';
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (fileProblems.length > 0) return;
    const form = new FormData(event.currentTarget);
    const value = (key: string) => {
      const v = form.get(key);
      return typeof v === 'string' && v.trim() !== '' ? v : undefined;
    };
    setError(null);
    try {
      setBusy(encrypting ? 'Encrypting in your browser…' : 'Sending…');
      const encryptor = encrypting && intake.encryption ? await encryptorFor(intake.encryption.publicKey) : null;
      const seal = async (text: string | undefined) => (text !== undefined && encryptor ? encryptor.text(text) : text);
      const title = value('title') ?? '';
      const report: Record<string, unknown> = { title: zeroKnowledge ? SEALED_TITLE : title };
      // Zero-knowledge: the title goes inside the encrypted description, so the server never holds it in clear.
      const description = zeroKnowledge ? `Title: ${title}\n\n${value('description') ?? ''}` : value('description');
      report.description = await seal(description);
      for (const field of textFields.slice(1)) {
        const text = value(field.name);
        if (text !== undefined) report[field.name] = await seal(text);
      }
      const versionText = value('affected_versions');
      if (versionText !== undefined) {
        // Zero-knowledge keeps even the version in ciphertext (the server then cannot judge support); otherwise it is checked against the policy.
        report.affected_versions = zeroKnowledge ? { text: await seal(versionText) } : { text: versionText, versions: [{ version: versionText.trim().slice(0, 100) }] };
      }
      const answers: Record<string, string> = {};
      for (const question of questions) {
        const answer = value(`q:${question.id}`);
        if (answer !== undefined) answers[question.id] = zeroKnowledge ? await seal(answer) ?? answer : answer;
      }
      if (Object.keys(answers).length > 0) report.answers = answers;
      const email = value('email');
      if (email !== undefined) report.contact = { email: email.trim() };
      const reporterKey = value('reporter_public_key');
      if (reporterKey !== undefined) report.reporter_public_key = reporterKey.trim();
      const mode = value('credit_mode');
      const creditName = value('credit_name');
      // "By name" with no name given says nothing: the policy's default applies (and a policy that requires the name says so).
      if (mode === 'named' && creditName !== undefined) report.credit = { mode, name: creditName.trim() };
      else if (mode === 'anonymous' || mode === 'none') report.credit = { mode };
      else if (mode === 'named' && presence('credit_name') === 'required') report.credit = { mode };
      const outgoing = zeroKnowledge && encryptor ? await Promise.all(files.map((file, index) => encryptor.file(file, index))) : files;
      setBusy('Sending…');
      let body: unknown = report;
      if (outgoing.length > 0) {
        const multipart = new FormData();
        multipart.append('report', JSON.stringify(report));
        for (const file of outgoing) multipart.append('files', file, file.name);
        body = multipart;
      }
      const answer = await api<ReceiptData>(`/api/v1/projects/${encodeURIComponent(slug)}/reports`, {
        method: 'POST',
        body,
        headers: { 'idempotency-key': idempotencyKey.current },
      });
      session.setPortalToken(answer.followUpToken);
      window.scrollTo(0, 0);
      onSubmitted(answer);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const fieldError = (path: string) => (error instanceof ApiError ? error.fieldMessage(path) : undefined);
  const presence = (field: keyof typeof fields) => fields[field];
  const supported = policy.supported_versions.rows;

  return (
    <section>
      <PageTitle title={`Report a vulnerability in ${name}`}>Report a vulnerability in {name}</PageTitle>
      <p>
        This form is private: only {name}'s security team reads it. You need no account. After sending you get a private link to follow the
        report and talk to the team. <Link to={`/p/${slug}`}>Read the security policy</Link> first to see what is in scope.
      </p>
      {zeroKnowledge && (
        <div className="notice encryption-notice">
          <h2>End-to-end encrypted</h2>
          <p>
            This project keeps its private key offline. Your title, description, answers and files are encrypted in this browser to the project's
            OpenPGP key{intake.encryption?.fingerprint ? <> (fingerprint <code className="fingerprint">{intake.encryption.fingerprint}</code>)</> : null} before they are
            sent: this server stores only ciphertext and cannot read them. Your contact address and credit name stay readable, so the team can reach and
            credit you.
          </p>
        </div>
      )}
      <form onSubmit={submit} aria-describedby="required-note">
        <p id="required-note" className="hint">Fields marked (required) must be filled in.</p>
        <Field label="Title" hint={zeroKnowledge ? 'A short summary; it is encrypted with the rest.' : 'A short summary, e.g. "SQL injection in the refund endpoint".'} error={fieldError('body.title')} required>
          {(ids) => <input {...ids} name="title" maxLength={200} />}
        </Field>
        {textFields.map((field) =>
          presence(field.name) === 'hidden' ? null : (
            <Field key={field.name} label={field.label} hint={field.hint} error={fieldError(`body.${field.name}`)} required={presence(field.name) === 'required'}>
              {(ids) => <textarea {...ids} name={field.name} maxLength={encrypting ? 30_000 : 50_000} />}
            </Field>
          ),
        )}
        {presence('affected_versions') !== 'hidden' && (
          <Field
            label="Affected version"
            hint={
              <>
                The version you tested.{' '}
                {supported.length > 0 && (
                  <>
                    Supported: {supported.filter((r) => r.supported).map((r) => r.label).join(', ') || 'none listed'}
                    {supported.some((r) => !r.supported) && <>; not supported: {supported.filter((r) => !r.supported).map((r) => r.label).join(', ')}</>}.
                  </>
                )}
              </>
            }
            error={fieldError('body.affected_versions') ?? fieldError('body.affected_versions.versions.0.version')}
            required={presence('affected_versions') === 'required'}
          >
            {(ids) => <input {...ids} name="affected_versions" maxLength={100} />}
          </Field>
        )}
        {questions.map((question) => (
          <Field key={question.id} label={question.label} hint={question.help} error={fieldError(`body.answers.${question.id}`)} required={question.required}>
            {(ids) =>
              question.type === 'choice' ? (
                <select {...ids} name={`q:${question.id}`} defaultValue="">
                  <option value="">Choose…</option>
                  {question.choices.map((choice) => (
                    <option key={choice} value={choice}>{choice}</option>
                  ))}
                </select>
              ) : (
                <textarea {...ids} name={`q:${question.id}`} className="short" maxLength={zeroKnowledge ? 3000 : 5000} />
              )
            }
          </Field>
        ))}

        {limits.maxCount > 0 && (
          <fieldset>
            <legend>Attachments</legend>
            <p className="hint" id="attachment-limits">
              Up to {limits.maxCount} files, {formatBytes(limits.maxFileBytes)} each, {formatBytes(limits.maxReportBytes)} in all.
              {zeroKnowledge ? ' Each file is encrypted in this browser before it is sent.' : ''}
            </p>
            <label htmlFor="report-files" className="file-label">Add files</label>
            <input id="report-files" ref={fileInput} type="file" multiple aria-describedby="attachment-limits" onChange={(e) => addFiles(e.target.files)} />
            {files.length > 0 && (
              <ul className="file-list" aria-label="Files to send">
                {files.map((file, index) => (
                  <li key={`${file.name}-${index}`} className={file.size > limits.maxFileBytes ? 'too-large' : undefined}>
                    <span className="file-name">{file.name}</span> <span className="hint">{formatBytes(file.size)}</span>{' '}
                    <button type="button" className="link-button" onClick={() => setFiles(files.filter((_, i) => i !== index))} aria-label={`Remove ${file.name}`}>
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <p className="hint" aria-live="polite">
              {files.length > 0 ? `${files.length} ${files.length === 1 ? 'file' : 'files'}, ${formatBytes(totalBytes)} of ${formatBytes(limits.maxReportBytes)}.` : ''}
            </p>
            {fileProblems.length > 0 && (
              <div className="error" role="alert">
                {fileProblems.map((problem) => <p key={problem}>{problem}</p>)}
              </div>
            )}
            {fieldError('body.files') && <p className="field-error">{fieldError('body.files')}</p>}
          </fieldset>
        )}

        {presence('contact') !== 'hidden' && (
        <fieldset>
          <legend>Staying in touch</legend>
          <p className="hint">{presence('contact') === 'required' ? 'The team asks for an address to reach you.' : 'Optional: you can follow the report with the private link alone and stay anonymous.'}</p>
          <Field label="Your email address" hint="For updates on the report. Never published." error={fieldError('body.contact.email')} required={presence('contact') === 'required'}>
            {(ids) => <input {...ids} name="email" type="email" autoComplete="email" maxLength={254} />}
          </Field>
          <Field label="Your OpenPGP public key" hint="Optional. With it, every mail the team sends you is encrypted to this key." error={fieldError('body.reporter_public_key')}>
            {(ids) => <textarea {...ids} name="reporter_public_key" className="code short" spellCheck={false} placeholder="-----BEGIN PGP PUBLIC KEY BLOCK-----" />}
          </Field>
        </fieldset>
        )}

        {credit?.default !== 'none' && presence('credit_name') !== 'hidden' && <CreditChoice policyText={credit ? describeCredit(credit) : undefined} required={presence('credit_name') === 'required'} fieldError={fieldError} />}

        {intake.encryption && !zeroKnowledge && (
          <fieldset>
            <legend>Encryption</legend>
            <label className="checkbox">
              <input type="checkbox" checked={encryptOptIn} onChange={(e) => setEncryptOptIn(e.target.checked)} /> Encrypt the description, steps, impact and fix in this
              browser to the project's OpenPGP key
            </label>
            <p className="hint">
              Everything is sent over HTTPS and stored encrypted in any case; this adds end-to-end protection on the way in.
              {intake.encryption.fingerprint && <> Key fingerprint: <code className="fingerprint">{intake.encryption.fingerprint}</code>.</>}
            </p>
          </fieldset>
        )}

        <ErrorMessage error={error} />
        <div className="actions">
          <button type="submit" disabled={busy !== null || fileProblems.length > 0}>{busy ?? (encrypting ? 'Encrypt and send the report' : 'Send the report')}</button>
        </div>
        {busy && <p role="status" className="loading">{busy}</p>}
      </form>
    </section>
  );
}

function CreditChoice({ policyText, required, fieldError }: { policyText: string | undefined; required: boolean; fieldError: (path: string) => string | undefined }) {
  const [mode, setMode] = useState<'named' | 'anonymous' | 'none'>('named');
  return (
    <fieldset>
      <legend>Credit</legend>
      {policyText && <p className="hint">{policyText}</p>}
      <div role="radiogroup" aria-label="How to credit you">
        <label className="checkbox"><input type="radio" name="credit_mode" value="named" checked={mode === 'named'} onChange={() => setMode('named')} /> Credit me by name</label>
        <label className="checkbox"><input type="radio" name="credit_mode" value="anonymous" checked={mode === 'anonymous'} onChange={() => setMode('anonymous')} /> Credit an anonymous reporter</label>
        <label className="checkbox"><input type="radio" name="credit_mode" value="none" checked={mode === 'none'} onChange={() => setMode('none')} /> No credit</label>
      </div>
      {mode === 'named' && (
        <Field label="Name or handle for the credit" error={fieldError('body.credit.name') ?? fieldError('body.credit')} required={required}>
          {(ids) => <input {...ids} name="credit_name" maxLength={200} autoComplete="nickname" />}
        </Field>
      )}
    </fieldset>
  );
}
