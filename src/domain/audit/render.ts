import { canonicalJson } from './canonical-json.ts';
import type { AuditRecord } from './record.ts';

/**
 * Characters that could end, rewrite or disguise a line when shown to a
 * person: C0 and C1 controls (CR, LF, ESC for terminal sequences, NEL), DEL,
 * the Unicode line and paragraph separators, and the bidirectional
 * overrides that make text display in another order than it reads. The
 * backslash and the double quote are escaped too, so an escaped value is
 * unambiguous and cannot close the quotes around it.
 */
const unsafeInLine = /[\\"\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const shortEscapes: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function unicodeEscape(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Makes any stored value safe to print inside one line of human-readable output. */
export function escapeForLine(value: string): string {
  return value.replace(unsafeInLine, (character) => shortEscapes[character] ?? unicodeEscape(character));
}

/** For values that are normally single words (ids, action names): escaped, not quoted. */
function word(value: string | null): string {
  return value === null ? '-' : escapeForLine(value);
}

/** For free text (labels, user agents): quoted, so its spaces cannot pass for field boundaries. */
function quoted(value: string | null): string {
  return value === null ? '-' : `"${escapeForLine(value)}"`;
}

/**
 * One entry as one line, for people. Every stored value is escaped: labels,
 * user agents and even ids come from outside, and an unescaped newline would
 * let them forge a line that looks like a real entry.
 */
export function renderAuditLine(record: AuditRecord): string {
  const actor = `${word(record.actor_type)}:${word(record.actor_id)} ${quoted(record.actor_label)}`;
  const object = record.object_type === null ? '-' : `${word(record.object_type)}:${word(record.object_id)}`;
  return `#${record.seq} ${word(record.at)} ${word(record.action)} ${word(record.outcome)} by ${actor} on ${object} from ${word(record.ip)} ${quoted(record.user_agent)}`;
}

/**
 * One entry as one JSON line (canonical key order), ending in LF. JSON
 * already escapes every control character below U+0020; NEL and the Unicode
 * line and paragraph separators are valid raw JSON but split lines in some
 * readers (Python's str.splitlines, for one), so they are escaped as well.
 */
export function auditJsonLine(record: AuditRecord): string {
  return `${canonicalJson(record).replace(/[\u0085\u2028\u2029]/g, unicodeEscape)}\n`;
}
