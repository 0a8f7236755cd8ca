/**
 * A small RFC 9116 checker, written by hand because no maintained npm package
 * validates security.txt files. It is stricter than the RFC in one place:
 * unknown fields are errors, because the only files it checks are our own and
 * an unknown field there can only be a renderer bug.
 */

export interface SecurityTxtField {
  name: string;
  value: string;
  line: number;
}

export interface SecurityTxtReport {
  /** True when the input was an OpenPGP cleartext-signed message; only the signed text is checked. */
  signed: boolean;
  fields: SecurityTxtField[];
  /** Empty when the file follows RFC 9116. */
  errors: string[];
}

/** Canonical spelling of each field, keyed by its lowercase form (field names are case-insensitive). */
const knownFields = new Map(
  ['Acknowledgments', 'Canonical', 'Contact', 'CSAF', 'Encryption', 'Expires', 'Hiring', 'Policy', 'Preferred-Languages'].map((name) => [name.toLowerCase(), name]),
);

const allowedSchemes: Record<string, readonly string[]> = {
  Contact: ['https:', 'mailto:', 'tel:'],
  Encryption: ['https:', 'openpgp4fpr:', 'dns:'],
  Acknowledgments: ['https:'],
  Canonical: ['https:'],
  Policy: ['https:'],
  Hiring: ['https:'],
  // CSAF 2.0 §7.1.8: points at a provider-metadata.json, and only over https.
  CSAF: ['https:'],
};

/** RFC 3339 `date-time`, as RFC 9116 §2.5.5 requires for Expires. */
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export function parseSecurityTxt(text: string, opts: { now?: Date } = {}): SecurityTxtReport {
  const errors: string[] = [];
  const signed = text.startsWith('-----BEGIN PGP SIGNED MESSAGE-----');
  const body = signed ? signedBody(text, errors) : text;
  if (!signed && body !== '' && !body.endsWith('\n')) errors.push('The last line must end with a line break');

  const fields: SecurityTxtField[] = [];
  body.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw === '' || raw.startsWith('#')) return;
    const match = /^([A-Za-z0-9-]+):[ \t]*(.*?)[ \t]*$/.exec(raw);
    const name = match === null ? undefined : knownFields.get((match[1] ?? '').toLowerCase());
    if (match === null) errors.push(`Line ${line} is neither a field nor a comment`);
    else if (name === undefined) errors.push(`Line ${line}: unknown field "${match[1]}"`);
    else fields.push({ name, value: match[2] ?? '', line });
  });

  checkCounts(fields, errors);
  for (const field of fields) checkValue(field, errors, opts.now);
  return { signed, fields, errors };
}

function checkCounts(fields: readonly SecurityTxtField[], errors: string[]): void {
  const count = (name: string) => fields.filter((field) => field.name === name).length;
  if (count('Contact') === 0) errors.push('At least one Contact field is required');
  if (count('Expires') !== 1) errors.push(`Expires must appear exactly once (found ${count('Expires')})`);
  if (count('Preferred-Languages') > 1) errors.push('Preferred-Languages must not appear more than once');
}

function checkValue(field: SecurityTxtField, errors: string[], now: Date | undefined): void {
  const where = `Line ${field.line} (${field.name})`;
  if (field.name === 'Expires') {
    if (!rfc3339.test(field.value) || Number.isNaN(Date.parse(field.value))) errors.push(`${where}: not an RFC 3339 date-time`);
    else if (now !== undefined && Date.parse(field.value) <= now.getTime()) errors.push(`${where}: the file has expired`);
    return;
  }
  if (field.name === 'Preferred-Languages') {
    for (const tag of field.value.split(',').map((part) => part.trim())) {
      if (!isLanguageTag(tag)) errors.push(`${where}: "${tag}" is not a language tag`);
    }
    return;
  }
  const schemes = allowedSchemes[field.name] ?? [];
  const scheme = URL.canParse(field.value) ? new URL(field.value).protocol : undefined;
  if (scheme === undefined || !schemes.includes(scheme)) errors.push(`${where}: must be a URI using ${schemes.join(' or ')}`);
}

function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/**
 * The text of a cleartext-signed message (RFC 4880 §7): after the armor
 * headers and the blank line, up to the signature, with dash-escaping undone.
 */
function signedBody(text: string, errors: string[]): string {
  const lines = text.split(/\r?\n/);
  const start = lines.indexOf('');
  const end = lines.indexOf('-----BEGIN PGP SIGNATURE-----');
  if (start === -1 || end === -1 || end < start) {
    errors.push('Malformed cleartext signature: expected armor headers, a blank line, the text and a signature block');
    return '';
  }
  return lines
    .slice(start + 1, end)
    .map((line) => (line.startsWith('- ') ? line.slice(2) : line))
    .join('\n');
}
