/**
 * Atom 1.0 (RFC 4287) feed of advisories. A handful of elements does not need
 * an XML library: every text and attribute value goes through `xmlText`,
 * which escapes markup characters and drops characters XML 1.0 cannot carry
 * at all (a stray control character would make the whole feed unreadable).
 * Summaries are `type="text"`, never HTML, so no reader renders a title or
 * summary as markup.
 */
import type { Advisory } from '../domain/advisories/model.ts';
import { utc } from './advisory-common.ts';

export interface AtomFeed {
  /** A permanent IRI for the feed, e.g. its URL. */
  id: string;
  title: string;
  selfUrl: string;
  /** RFC 3339; usually the newest entry's modification time. */
  updated: string;
  /** RFC 4287 needs an author on the feed unless every entry has one; entries carry their publisher, so this matters only for an empty feed. */
  author?: string | undefined;
  entries: Array<{ advisory: Advisory; url: string }>;
}

export function renderAtom(feed: AtomFeed): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(feed.id)}</id>`,
    `  <title type="text">${xmlText(feed.title)}</title>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(feed.selfUrl)}"/>`,
    `  <updated>${utc(feed.updated)}</updated>`,
    ...(feed.author === undefined ? [] : [`  <author><name>${xmlText(feed.author)}</name></author>`]),
    ...feed.entries.flatMap(({ advisory, url }) => entry(advisory, url)),
    '</feed>',
  ];
  return `${lines.join('\n')}\n`;
}

function entry(advisory: Advisory, url: string): string[] {
  const withdrawn = advisory.withdrawn === undefined ? '' : '[Withdrawn] ';
  return [
    '  <entry>',
    `    <id>${xmlText(url)}</id>`,
    `    <title type="text">${xmlText(`${withdrawn}${advisory.id}: ${advisory.title}`)}</title>`,
    `    <link rel="alternate" type="text/html" href="${xmlText(url)}"/>`,
    `    <updated>${utc(advisory.modified)}</updated>`,
    ...(advisory.published === undefined ? [] : [`    <published>${utc(advisory.published)}</published>`]),
    `    <author><name>${xmlText(advisory.project.publisherName)}</name></author>`,
    ...(advisory.severity === null ? [] : [`    <category term="${xmlText(advisory.severity.rating)}" label="Severity: ${xmlText(advisory.severity.rating)}"/>`]),
    `    <summary type="text">${xmlText(advisory.withdrawn === undefined ? advisory.summary : `${advisory.withdrawn.reason}\n\n${advisory.summary}`)}</summary>`,
    '  </entry>',
  ];
}

// Outside XML 1.0's Char production: C0 controls other than tab, LF and CR; lone surrogates; U+FFFE and U+FFFF.
const notXmlChar = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes a value for element content and double- or single-quoted attributes alike. */
export function xmlText(value: string): string {
  return value
    .replace(notXmlChar, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
