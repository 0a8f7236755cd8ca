import { useMemo, useState } from 'react';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import type { TeamReport } from '../shared/types.ts';
import { baseMetrics, parseVector, rating, scoreOf, vectorOf, type CvssVersion, type Selection } from './cvss.ts';
import { useReportAction } from './useReportAction.ts';

/** Metric selects → vector string → live score (ae-cvss-calculator in the browser); the server re-checks and scores on save. */
export function CvssBuilder({ report }: { report: TeamReport }) {
  const recorded = { '3.1': report.assessment.cvss31, '4.0': report.assessment.cvss40 } as const;
  const [version, setVersion] = useState<CvssVersion>(report.assessment.cvss40 && !report.assessment.cvss31 ? '4.0' : '3.1');
  return (
    <section aria-labelledby="cvss-title" className="card">
      <h2 id="cvss-title">CVSS</h2>
      <dl className="facts">
        <dt>CVSS 3.1</dt>
        <dd>{recorded['3.1'] ? <><span className="vector">{recorded['3.1'].vector}</span> · {recorded['3.1'].score}</> : 'not scored'}</dd>
        <dt>CVSS 4.0</dt>
        <dd>{recorded['4.0'] ? <><span className="vector">{recorded['4.0'].vector}</span> · {recorded['4.0'].score}</> : 'not scored'}</dd>
        <dt>Severity</dt>
        <dd>{report.assessment.severity ?? 'not set'}{report.assessment.severityOverrideReason ? ` (override: ${report.assessment.severityOverrideReason})` : ''}</dd>
      </dl>
      <fieldset>
        <legend>Version</legend>
        {(['3.1', '4.0'] as const).map((v) => (
          <label key={v} className="radio">
            <input type="radio" name="cvss-version" value={v} checked={version === v} onChange={() => setVersion(v)} /> CVSS {v}
          </label>
        ))}
      </fieldset>
      <Builder key={version} report={report} version={version} initial={parseVector(recorded[version]?.vector, version)} />
    </section>
  );
}

function Builder({ report, version, initial }: { report: TeamReport; version: CvssVersion; initial: Selection }) {
  const [selection, setSelection] = useState<Selection>(initial);
  const { run, error, busy } = useReportAction(report.id);
  const vector = vectorOf(selection, version);
  const score = useMemo(() => (vector ? scoreOf(vector, version) : null), [vector, version]);
  const field = version === '3.1' ? 'cvss31' : 'cvss40';
  const save = (value: string | null) => run(() => api(`/api/v1/reports/${report.id}/assessment`, { method: 'PATCH', body: { [field]: value } }));
  return (
    <div>
      <div className="cvss-grid">
        {baseMetrics[version].map((metric) => (
          <Field key={metric.key} label={`${metric.name} (${metric.key})`}>
            {(ids) => (
              <select {...ids} value={selection[metric.key] ?? ''} onChange={(e) => setSelection({ ...selection, [metric.key]: e.target.value })}>
                <option value="">Choose…</option>
                {metric.values.map(([value, name]) => <option key={value} value={value}>{name} ({value})</option>)}
              </select>
            )}
          </Field>
        ))}
      </div>
      <div aria-live="polite" className="notice">
        {vector ? (
          <>
            <p className="vector">{vector}</p>
            <p><span className="score" data-testid="cvss-live-score">{score ?? '?'}</span> {score !== null && <span className={`severity severity-${rating(score)}`}>{rating(score)}</span>}</p>
          </>
        ) : (
          <p>Choose every base metric to see the vector and its score.</p>
        )}
      </div>
      <div className="actions">
        <button type="button" disabled={!vector || busy} onClick={() => save(vector)}>Save CVSS {version}</button>
        {report.assessment[field] && <button type="button" className="secondary" disabled={busy} onClick={() => save(null)}>Remove CVSS {version}</button>}
      </div>
      <ErrorMessage error={error} />
    </div>
  );
}
