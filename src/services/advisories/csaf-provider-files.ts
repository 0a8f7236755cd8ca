/**
 * The files of a CSAF 2.0 trusted provider (CSAF 2.0 §7.1), computed from
 * already rendered documents. Pure: the service feeds it documents, URLs and
 * the key; nothing here reads the database or the clock, so every file is a
 * function of the published content and its bytes (and ETags) stay stable.
 */
import { createHash } from 'node:crypto';

/** CSAF 2.0 speaks TLP v1: only WHITE and GREEN may be served without access control (§7.1.4, §7.1.5). */
export const servedTlps = { white: 'WHITE', green: 'GREEN' } as const;
export type ServedTlpDirectory = keyof typeof servedTlps;

export function isServedTlp(directory: string): directory is ServedTlpDirectory {
  return Object.hasOwn(servedTlps, directory);
}

/** One rendered CSAF document, with the facts its listings need read back from the document itself. */
export interface CsafFile {
  trackingId: string;
  title: string;
  summary: string;
  /** `YYYY/filename.json`: the year of /document/tracking/initial_release_date (§7.1.11). */
  path: string;
  filename: string;
  text: string;
  initialReleaseDate: string;
  currentReleaseDate: string;
}

interface RenderedTracking {
  document: { title: string; tracking: { id: string; initial_release_date: string; current_release_date: string } };
}

/** Takes the year and dates from the rendered document, so the listings cannot disagree with what is served. */
export function csafFile(text: string, filename: string, summary: string): CsafFile {
  const { document } = JSON.parse(text) as RenderedTracking;
  const initial = new Date(document.tracking.initial_release_date);
  return {
    trackingId: document.tracking.id,
    title: document.title,
    summary,
    path: `${initial.getUTCFullYear()}/${filename}`,
    filename,
    text,
    initialReleaseDate: initial.toISOString(),
    currentReleaseDate: new Date(document.tracking.current_release_date).toISOString(),
  };
}

/** Newest change first (§7.1.13); ties by path so the order never depends on the query. */
export function newestFirst(files: readonly CsafFile[]): CsafFile[] {
  return [...files].sort((a, b) => b.currentReleaseDate.localeCompare(a.currentReleaseDate) || a.path.localeCompare(b.path));
}

/** §7.1.12: one `YYYY/filename.json` a line. */
export function indexTxt(files: readonly CsafFile[]): string {
  return newestFirst(files).map((file) => `${file.path}\n`).join('');
}

/** §7.1.13: path and current_release_date, quoted as in the CSAF 2.0 example, newest first, no header. */
export function changesCsv(files: readonly CsafFile[]): string {
  return newestFirst(files).map((file) => `"${file.path}","${file.currentReleaseDate}"\n`).join('');
}

/** §7.1.18: the hex digest first, then the file name, as `sha256sum` prints it. */
export function hashFile(algorithm: 'sha256' | 'sha512', file: CsafFile): string {
  return `${createHash(algorithm).update(file.text, 'utf8').digest('hex')}  ${file.filename}\n`;
}

export interface ProviderUrls {
  /** The provider's base, `https://host/.well-known/csaf`. */
  base: string;
}

export const feedName = (tlp: ServedTlpDirectory) => `csaf-feed-tlp-${tlp}.json`;
export const feedUrl = (urls: ProviderUrls, tlp: ServedTlpDirectory) => `${urls.base}/${tlp}/${feedName(tlp)}`;
export const keyUrl = (urls: ProviderUrls, fingerprint: string) => `${urls.base}/openpgp/${fingerprint}.asc`;

const CSAF_SCHEMA = 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json';

/** §7.1.15: one ROLIE feed a TLP level; every entry links its hash and signature files. */
export function rolieFeed(urls: ProviderUrls, tlp: ServedTlpDirectory, publisherName: string, files: readonly CsafFile[], emptyUpdated: string) {
  const ordered = newestFirst(files);
  const self = feedUrl(urls, tlp);
  return {
    feed: {
      id: self,
      title: `${publisherName} CSAF feed (TLP:${servedTlps[tlp]})`,
      link: [{ rel: 'self', href: self }],
      category: [{ scheme: 'urn:ietf:params:rolie:category:information-type', term: 'csaf' }],
      updated: ordered[0]?.currentReleaseDate ?? emptyUpdated,
      entry: ordered.map((file) => {
        const href = `${urls.base}/${tlp}/${file.path}`;
        return {
          id: file.trackingId,
          title: file.title,
          link: [
            { rel: 'self', href },
            { rel: 'hash', href: `${href}.sha256` },
            { rel: 'hash', href: `${href}.sha512` },
            { rel: 'signature', href: `${href}.asc` },
          ],
          published: file.initialReleaseDate,
          updated: file.currentReleaseDate,
          summary: { content: file.summary },
          content: { type: 'application/json', src: href },
          format: { schema: CSAF_SCHEMA, version: '2.0' },
        };
      }),
    },
  };
}

export interface ProviderFacts {
  publisher: { category: 'vendor' | 'coordinator' | 'cert' | 'discoverer' | 'other' | 'translator' | 'user'; name: string; namespace: string };
  fingerprint: string;
  lastUpdated: string;
}

/**
 * §7.1.7: the provider metadata. Both public feeds are always announced (an
 * empty feed is valid, and §7.1.15 wants at least one of WHITE/GREEN), so the
 * file does not change shape when the first GREEN advisory appears. Only the
 * ROLIE distribution is declared: a `directory_url` would promise directory
 * listings (§7.1.14), which Embargo does not serve.
 */
export function providerMetadata(urls: ProviderUrls, facts: ProviderFacts) {
  return {
    canonical_url: `${urls.base}/provider-metadata.json`,
    distributions: [
      {
        rolie: {
          feeds: (Object.keys(servedTlps) as ServedTlpDirectory[]).map((tlp) => ({
            summary: `All TLP:${servedTlps[tlp]} advisories of ${facts.publisher.name}.`,
            tlp_label: servedTlps[tlp],
            url: feedUrl(urls, tlp),
          })),
        },
      },
    ],
    last_updated: facts.lastUpdated,
    list_on_CSAF_aggregators: true,
    metadata_version: '2.0',
    mirror_on_CSAF_aggregators: true,
    public_openpgp_keys: [{ fingerprint: facts.fingerprint, url: keyUrl(urls, facts.fingerprint) }],
    publisher: facts.publisher,
    role: 'csaf_trusted_provider',
  };
}
