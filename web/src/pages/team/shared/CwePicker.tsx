import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';

type Usage = 'Allowed' | 'Allowed-with-Review' | 'Discouraged' | 'Prohibited';
interface Weakness {
  id: string;
  name: string;
  usage?: Usage;
}
interface Catalogue {
  version: string;
  date: string;
  byId: Map<string, Weakness>;
  weaknesses: readonly Weakness[];
}

const CATALOGUE_VERSION = '4.17';
let loading: Promise<Catalogue> | undefined;

/** The catalogue is 140 kB: fetched (from our own origin, as a build chunk) only when a picker is shown, once per page. */
function loadCatalogue(): Promise<Catalogue> {
  loading ??= import('@secvisogram/csaf-validator-lib/lib/cwec/4.17.js').then(({ default: catalogue }) => ({
    version: CATALOGUE_VERSION,
    date: catalogue.date,
    weaknesses: catalogue.weaknesses,
    byId: new Map(catalogue.weaknesses.map((weakness) => [weakness.id, weakness])),
  }));
  return loading;
}

/** MITRE's mapping guidance: these should not be used for a root cause, and a reviewer should know at once. */
const usageWarning: Partial<Record<Usage, string>> = {
  Discouraged: 'MITRE discourages mapping a vulnerability to this entry; prefer a more specific weakness',
  Prohibited: 'MITRE prohibits mapping a vulnerability to this entry (a category or view); choose a weakness under it',
};
const usageRank: Record<Usage, number> = { Allowed: 0, 'Allowed-with-Review': 1, Discouraged: 2, Prohibited: 3 };
const MAX_MATCHES = 8;

/** Entries whose id or name contains every word typed; an exact id first, then usable entries before discouraged ones, then shorter names. */
function matchWeaknesses(weaknesses: readonly Weakness[], query: string): Weakness[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const exact = normaliseCweId(query);
  return weaknesses
    .filter((weakness) => {
      const text = `${weakness.id} ${weakness.name}`.toLowerCase();
      return weakness.id === exact || words.every((word) => text.includes(word));
    })
    .sort((a, b) => Number(b.id === exact) - Number(a.id === exact) || usageRank[a.usage ?? 'Allowed'] - usageRank[b.usage ?? 'Allowed'] || a.name.length - b.name.length)
    .slice(0, MAX_MATCHES);
}

const normaliseCweId = (value: string) => (/^\s*\d+\s*$/.test(value) ? `CWE-${value.trim()}` : value.trim().toUpperCase());

/**
 * Picks CWE ids from MITRE's catalogue by id or by words of the name
 * ("sql injection", "79"), shows each chosen id with its name, and flags
 * entries MITRE says not to map to. An id missing from the bundled catalogue
 * (a newer CWE) can still be added: it is marked, not refused, since the
 * server accepts any well-formed id.
 */
export function CwePicker(props: { items: string[]; busy: boolean; onChange: (items: string[]) => Promise<boolean>; heading?: string; error?: string | undefined }) {
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [failed, setFailed] = useState(false);
  const [query, setQuery] = useState('');
  const inputId = useId();
  useEffect(() => {
    let live = true;
    loadCatalogue().then((loaded) => live && setCatalogue(loaded), () => live && setFailed(true));
    return () => void (live = false);
  }, []);
  const matches = useMemo(() => (catalogue ? matchWeaknesses(catalogue.weaknesses, query).filter((w) => !props.items.includes(w.id)) : []), [catalogue, query, props.items]);

  const add = async (id: string) => {
    if (!id || props.items.includes(id)) return;
    if (await props.onChange([...props.items, id])) setQuery('');
  };
  // Not a form of its own: the picker also sits inside the advisory editor's form, where Enter must add, not submit.
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    addTyped();
  };
  const addTyped = () => {
    if (!query.trim()) return;
    const typed = normaliseCweId(query);
    // Enter takes a typed id as it is, otherwise the best match.
    void add(/^CWE-\d+$/.test(typed) ? typed : (matches[0]?.id ?? typed));
  };

  return (
    <div className="cwe-picker">
      <h3>{props.heading ?? 'CWE'}</h3>
      {props.items.length > 0 ? (
        <ul className="cwe-list" aria-label="Weaknesses">
          {props.items.map((id) => {
            const known = catalogue?.byId.get(id);
            const warning = known?.usage ? usageWarning[known.usage] : undefined;
            return (
              <li key={id}>
                <span className="label">{id}</span> {known ? known.name : catalogue ? <em>not in CWE {catalogue.version}: check the id at cwe.mitre.org</em> : null}
                {warning && <p className="field-error">{warning}.</p>}
                <button type="button" className="link-button" disabled={props.busy} aria-label={`Remove ${id}`} onClick={() => props.onChange(props.items.filter((i) => i !== id))}>×</button>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="hint">None yet.</p>
      )}
      <div className="field">
        <label htmlFor={inputId}>Find a weakness</label>
        <p id={`${inputId}-hint`} className="hint">
          By id (79, CWE-79) or by words of its name (sql injection); Enter adds the id typed or the first match.
          {catalogue && ` From MITRE's CWE ${catalogue.version} (${catalogue.date}).`}
          {failed && ' The CWE list could not be loaded; ids can still be typed.'}
        </p>
        <div className="inline-form">
          <input id={inputId} aria-describedby={`${inputId}-hint`} aria-invalid={props.error ? true : undefined} value={query} maxLength={100} autoComplete="off" onChange={(e) => setQuery(e.target.value)} onKeyDown={onKeyDown} />
          <button type="button" className="secondary" disabled={props.busy || !query.trim()} onClick={addTyped}>Add</button>
        </div>
      </div>
      {matches.length > 0 && (
        <ul className="cwe-matches" aria-label="Matching weaknesses">
          {matches.map((weakness) => (
            <li key={weakness.id}>
              <button type="button" className="link-button" disabled={props.busy} onClick={() => void add(weakness.id)}>
                <span className="label">{weakness.id}</span> {weakness.name}
                {weakness.usage && usageWarning[weakness.usage] && <span className="hint"> ({weakness.usage.toLowerCase()} by MITRE)</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {props.error && <p className="field-error">{props.error}</p>}
    </div>
  );
}
