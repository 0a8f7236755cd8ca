import { Field } from '../../../ui/Field.tsx';
import { creditTypes, emptyPackage, messagesFor, rangeTypes, referenceTypes, type Affected, type Credit, type Range, type Reference } from './model.ts';

type Errors = ReadonlyArray<{ path: string; message: string }>;

function replaceAt<T>(items: readonly T[], index: number, item: T): T[] {
  return items.map((existing, i) => (i === index ? item : existing));
}
const without = <T,>(items: readonly T[], index: number) => items.filter((_, i) => i !== index);

/** Affected packages, each with its version ranges (OSV events: introduced, then fixed or last affected). */
export function AffectedFields({ value, onChange, errors, disabled }: { value: Affected[]; onChange: (next: Affected[]) => void; errors: Errors; disabled: boolean }) {
  const setPackage = (i: number, pkg: Affected) => onChange(replaceAt(value, i, pkg));
  const setRange = (i: number, j: number, range: Range) => setPackage(i, { ...value[i]!, ranges: replaceAt(value[i]!.ranges, j, range) });
  return (
    <fieldset disabled={disabled}>
      <legend>Affected packages</legend>
      {value.length === 0 && <p className="hint">No package yet. OSV and CSAF need at least one.</p>}
      {value.map((pkg, i) => (
        <fieldset key={i} className="advisory-item">
          <legend>Package {i + 1}</legend>
          <div className="advisory-row">
            <Field label="Ecosystem" hint="npm, PyPI, Go, Maven, crates.io…" error={messagesFor(errors, `affected[${i}].ecosystem`)}>
              {(ids) => <input {...ids} value={pkg.ecosystem} onChange={(e) => setPackage(i, { ...pkg, ecosystem: e.target.value })} />}
            </Field>
            <Field label="Package name" error={messagesFor(errors, `affected[${i}].name`)}>
              {(ids) => <input {...ids} value={pkg.name} onChange={(e) => setPackage(i, { ...pkg, name: e.target.value })} />}
            </Field>
            <Field label="Package URL (purl)" error={messagesFor(errors, `affected[${i}].purl`)}>
              {(ids) => <input {...ids} value={pkg.purl ?? ''} placeholder="pkg:npm/name" onChange={(e) => setPackage(i, { ...pkg, purl: e.target.value })} />}
            </Field>
          </div>
          {pkg.ranges.map((range, j) => (
            <div key={j} className="advisory-row advisory-range" role="group" aria-label={`Package ${i + 1}, range ${j + 1}`}>
              <Field label="Range type">
                {(ids) => (
                  <select {...ids} value={range.type} onChange={(e) => setRange(i, j, { ...range, type: e.target.value as Range['type'] })}>
                    {rangeTypes.map((t) => <option key={t}>{t}</option>)}
                  </select>
                )}
              </Field>
              <Field label="Introduced" hint={'"0": from the start'} error={messagesFor(errors, `affected[${i}].ranges[${j}].introduced`)}>
                {(ids) => <input {...ids} value={range.introduced} onChange={(e) => setRange(i, j, { ...range, introduced: e.target.value })} />}
              </Field>
              <Field label="Fixed in" error={messagesFor(errors, `affected[${i}].ranges[${j}].fixed`)}>
                {(ids) => <input {...ids} value={range.fixed ?? ''} onChange={(e) => setRange(i, j, { ...range, fixed: e.target.value })} />}
              </Field>
              <Field label="Last affected" error={messagesFor(errors, `affected[${i}].ranges[${j}].lastAffected`)}>
                {(ids) => <input {...ids} value={range.lastAffected ?? ''} onChange={(e) => setRange(i, j, { ...range, lastAffected: e.target.value })} />}
              </Field>
              {range.type === 'GIT' && (
                <Field label="Repository" error={messagesFor(errors, `affected[${i}].ranges[${j}].repo`)}>
                  {(ids) => <input {...ids} type="url" value={range.repo ?? ''} onChange={(e) => setRange(i, j, { ...range, repo: e.target.value })} />}
                </Field>
              )}
              <button type="button" className="secondary" onClick={() => setPackage(i, { ...pkg, ranges: without(pkg.ranges, j) })}>
                Remove range {j + 1}
              </button>
            </div>
          ))}
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setPackage(i, { ...pkg, ranges: [...pkg.ranges, { type: pkg.ranges[0]?.type ?? 'SEMVER', introduced: '0' }] })}>
              Add range
            </button>
            <button type="button" className="secondary" onClick={() => onChange(without(value, i))}>
              Remove package {i + 1}
            </button>
          </div>
        </fieldset>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...value, emptyPackage()])}>Add package</button>
    </fieldset>
  );
}

export function ReferenceFields({ value, onChange, errors, disabled }: { value: Reference[]; onChange: (next: Reference[]) => void; errors: Errors; disabled: boolean }) {
  return (
    <fieldset disabled={disabled}>
      <legend>References</legend>
      {value.map((reference, i) => (
        <div key={i} className="advisory-row" role="group" aria-label={`Reference ${i + 1}`}>
          <Field label={`Reference ${i + 1} type`}>
            {(ids) => (
              <select {...ids} value={reference.type} onChange={(e) => onChange(replaceAt(value, i, { ...reference, type: e.target.value as Reference['type'] }))}>
                {referenceTypes.map((t) => <option key={t}>{t}</option>)}
              </select>
            )}
          </Field>
          <Field label={`Reference ${i + 1} URL`} hint="https only" error={messagesFor(errors, `references[${i}]`)}>
            {(ids) => <input {...ids} type="url" value={reference.url} onChange={(e) => onChange(replaceAt(value, i, { ...reference, url: e.target.value }))} />}
          </Field>
          <button type="button" className="secondary" onClick={() => onChange(without(value, i))}>Remove reference {i + 1}</button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...value, { type: 'WEB', url: '' }])}>Add reference</button>
    </fieldset>
  );
}

export function CreditFields({ value, onChange, errors, disabled }: { value: Credit[]; onChange: (next: Credit[]) => void; errors: Errors; disabled: boolean }) {
  return (
    <fieldset disabled={disabled}>
      <legend>Credits</legend>
      <p className="hint">A REPORTER credit must be the name a linked report's reporter asked to be credited with.</p>
      {value.map((credit, i) => (
        <div key={i} className="advisory-row" role="group" aria-label={`Credit ${i + 1}`}>
          <Field label={`Credit ${i + 1} name`} error={messagesFor(errors, `credits[${i}]`)}>
            {(ids) => <input {...ids} value={credit.name} onChange={(e) => onChange(replaceAt(value, i, { ...credit, name: e.target.value }))} />}
          </Field>
          <Field label={`Credit ${i + 1} role`}>
            {(ids) => (
              <select {...ids} value={credit.type} onChange={(e) => onChange(replaceAt(value, i, { ...credit, type: e.target.value as Credit['type'] }))}>
                {creditTypes.map((t) => <option key={t}>{t}</option>)}
              </select>
            )}
          </Field>
          <button type="button" className="secondary" onClick={() => onChange(without(value, i))}>Remove credit {i + 1}</button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...value, { name: '', type: 'FINDER' }])}>Add credit</button>
    </fieldset>
  );
}
