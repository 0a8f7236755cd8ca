import { useState } from 'react';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import type { AffectedProduct, TeamReport } from '../shared/types.ts';
import { useReportAction } from './useReportAction.ts';

const verdicts = {
  supported: ['ok', 'Supported version', 'The version the reporter names is covered by the policy’s supported-versions table.'],
  unsupported: ['bad', 'Unsupported version', 'The version the reporter names is outside the policy’s supported versions.'],
  unknown: ['neutral', 'Support unknown', 'The policy could not match the version the reporter gave.'],
} as const;

/** What the reporter said is affected (with the policy's verdict), and the team's products and ranges for the advisory. */
export function AffectedPanel({ report }: { report: TeamReport }) {
  const [cls, title, explanation] = verdicts[report.versionStatus];
  const said = report.content.affected_versions;
  const [products, setProducts] = useState<AffectedProduct[]>(report.assessment.affected);
  const { run, error, busy } = useReportAction(report.id);
  const update = (index: number, change: Partial<AffectedProduct>) => setProducts(products.map((p, i) => (i === index ? { ...p, ...change } : p)));
  const save = () => run(() => api(`/api/v1/reports/${report.id}/assessment`, { method: 'PATCH', body: { affected: products.map(clean) } }));
  return (
    <section aria-labelledby="affected-title" className="card">
      <h2 id="affected-title">Affected versions</h2>
      <p><span className={`badge ${cls}`}>{title}</span> <span className="hint">{explanation}</span></p>
      {said?.text && <p className="report-field"><strong>Reporter says:</strong> {said.text}</p>}
      {said?.versions && said.versions.length > 0 && (
        <ul>{said.versions.map((v, i) => <li key={i}>{[v.ecosystem, v.package, v.version].filter(Boolean).join(' ')}</li>)}</ul>
      )}
      <h3>Ranges for the advisory</h3>
      {products.map((product, p) => (
        <fieldset key={p}>
          <legend>Product {p + 1}</legend>
          <div className="range-row">
            <Field label="Ecosystem" hint="npm, PyPI, Go, Maven…">{(ids) => <input {...ids} value={product.ecosystem} onChange={(e) => update(p, { ecosystem: e.target.value })} />}</Field>
            <Field label="Package">{(ids) => <input {...ids} value={product.package} onChange={(e) => update(p, { package: e.target.value })} />}</Field>
          </div>
          {product.ranges.map((range, r) => (
            <div key={r} className="range-row">
              <Field label={`Range ${r + 1}: introduced`} hint="0 for “from the start”">{(ids) => <input {...ids} value={range.introduced} onChange={(e) => update(p, { ranges: product.ranges.map((x, i) => (i === r ? { ...x, introduced: e.target.value } : x)) })} />}</Field>
              <Field label={`Range ${r + 1}: fixed in`}>{(ids) => <input {...ids} value={range.fixed ?? ''} onChange={(e) => update(p, { ranges: product.ranges.map((x, i) => (i === r ? { ...x, fixed: e.target.value } : x)) })} />}</Field>
            </div>
          ))}
          <div className="actions">
            <button type="button" className="secondary" onClick={() => update(p, { ranges: [...product.ranges, { introduced: '0' }] })}>Add a range</button>
            <button type="button" className="secondary" onClick={() => setProducts(products.filter((_, i) => i !== p))}>Remove product {p + 1}</button>
          </div>
        </fieldset>
      ))}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setProducts([...products, { ecosystem: '', package: '', ranges: [{ introduced: '0' }] }])}>Add a product</button>
        <button type="button" disabled={busy} onClick={save}>Save ranges</button>
      </div>
      <ErrorMessage error={error} />
    </section>
  );
}

/** Empty optional fields are left out rather than sent as empty strings the API would refuse. */
function clean(product: AffectedProduct): AffectedProduct {
  return {
    ecosystem: product.ecosystem.trim(),
    package: product.package.trim(),
    ...(product.purl?.trim() ? { purl: product.purl.trim() } : {}),
    ranges: product.ranges.map((r) => ({ introduced: r.introduced.trim(), ...(r.fixed?.trim() ? { fixed: r.fixed.trim() } : {}), ...(r.lastAffected?.trim() ? { lastAffected: r.lastAffected.trim() } : {}) })),
  };
}
