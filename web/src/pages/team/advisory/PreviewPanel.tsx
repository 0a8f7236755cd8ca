import { safeHref, severityBadge, severityLabel, type FormState, type FormatCheck, type PreviewResult } from './model.ts';

const formatNames = { osv: 'OSV', csaf: 'CSAF 2.0', cve: 'CVE JSON 5.1' } as const;

function FormatResult({ name, check }: { name: string; check: FormatCheck | undefined }) {
  if (!check) {
    return (
      <li>
        <span className="badge neutral">{name}: not checked</span> <span className="hint">Fix the fields first.</span>
      </li>
    );
  }
  if (check.applicable === false) {
    return (
      <li>
        <span className="badge neutral">{name}: not applicable</span> {check.warnings.map((w) => <span key={w} className="hint">{w}</span>)}
      </li>
    );
  }
  return (
    <li>
      <span className={`badge ${check.valid ? 'ok' : 'bad'}`}>{name}: {check.valid ? 'valid' : `${check.errors.length} error${check.errors.length === 1 ? '' : 's'}`}</span>
      {check.errors.length > 0 && (
        <ul className="advisory-messages">
          {check.errors.map((e) => <li key={e}><code>{e}</code></li>)}
        </ul>
      )}
      {check.warnings.length > 0 && (
        <details>
          <summary>{check.warnings.length} suggestion{check.warnings.length === 1 ? '' : 's'}</summary>
          <ul className="advisory-messages">
            {check.warnings.map((w) => <li key={w}><code>{w}</code></li>)}
          </ul>
        </details>
      )}
    </li>
  );
}

/** What each output format makes of the advisory as it stands, checked by the server with the official validators. */
export function ValidationResults({ result, checking, error }: { result: PreviewResult | undefined; checking: boolean; error: unknown }) {
  return (
    <section className="card" aria-labelledby="validation-heading">
      <h2 id="validation-heading">Validation</h2>
      <p className="hint" role="status">{checking ? 'Checking…' : result ? 'Checked against the content as it stands (not yet saved).' : ''}</p>
      {error ? <p className="error" role="alert">The check could not run: {error instanceof Error ? error.message : String(error)}</p> : null}
      {result && (
        <>
          {!result.content.valid && (
            <div className="error" role="alert">
              <p>The advisory has problems:</p>
              <ul>
                {result.content.errors.map((e) => <li key={`${e.path}:${e.message}`}><code>{e.path.replace(/^content\./, '')}</code>: {e.message}</li>)}
              </ul>
            </div>
          )}
          <ul className="advisory-formats" aria-label="Output formats">
            {(['osv', 'csaf', 'cve'] as const).map((key) => <FormatResult key={key} name={formatNames[key]} check={result.formats?.[key]} />)}
          </ul>
        </>
      )}
    </section>
  );
}

/** The advisory as its public page will show it. */
export function RenderedPreview({ id, form, result }: { id: string; form: FormState; result: PreviewResult | undefined }) {
  const severity = result?.severity ?? null;
  return (
    <section className="card advisory-preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Preview</h2>
      <article aria-label="Advisory preview">
        <p className="hint">{id}</p>
        <h3>{form.title || 'Untitled advisory'}</h3>
        <p>
          <span className={`badge ${severityBadge(severity)}`}>{severityLabel(severity)}</span> <span className="badge neutral">TLP:{form.tlp}</span>
          {form.cveId && <> <span className="badge neutral">{form.cveId}</span></>}
        </p>
        <p>{form.summary}</p>
        {/* detailsHtml is the server's sanitised rendering of the Markdown (src/formats/markdown-html.ts): no scripts, handlers or unsafe URLs survive it. */}
        {result && <div className="advisory-details" dangerouslySetInnerHTML={{ __html: result.detailsHtml }} />}
        {form.affected.length > 0 && (
          <>
            <h4>Affected</h4>
            <div className="table-scroll">
              <table>
                <thead>
                  <tr><th scope="col">Package</th><th scope="col">Affected</th><th scope="col">Fixed</th></tr>
                </thead>
                <tbody>
                  {form.affected.map((pkg, i) => (
                    <tr key={i}>
                      <td>{pkg.ecosystem} / {pkg.name}</td>
                      <td>{pkg.ranges.map((r) => `${r.introduced === '0' ? 'all' : `≥ ${r.introduced}`}${r.lastAffected ? `, ≤ ${r.lastAffected}` : ''}`).join('; ')}</td>
                      <td>{pkg.ranges.map((r) => r.fixed).filter(Boolean).join(', ') || 'no fix yet'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        {form.references.length > 0 && (
          <>
            <h4>References</h4>
            <ul>
              {form.references.map((r, i) => {
                const href = safeHref(r.url);
                return <li key={i}>{r.type}: {href ? <a href={href} rel="noopener noreferrer nofollow">{r.url}</a> : <code>{r.url}</code>}</li>;
              })}
            </ul>
          </>
        )}
        {form.credits.length > 0 && (
          <>
            <h4>Credits</h4>
            <ul>
              {form.credits.map((c, i) => <li key={i}>{c.name} ({c.type.toLowerCase().replace(/_/g, ' ')})</li>)}
            </ul>
          </>
        )}
      </article>
    </section>
  );
}
