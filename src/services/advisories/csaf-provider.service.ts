import { createHash } from 'node:crypto';
import type { Advisory } from '../../domain/advisories/model.ts';
import { EmbargoError, isEmbargoError } from '../../errors.ts';
import { csafFilename, renderCsaf } from '../../formats/csaf.ts';
import { findInstanceKey } from '../../storage/repositories/instance-key.repository.ts';
import type { ServiceContext } from '../context.ts';
import { instanceSigner, type InstanceSigner } from '../instance-keys.service.ts';
import { getOrganisation } from '../organisation.service.ts';
import {
  changesCsv,
  csafFile,
  feedName,
  hashFile,
  indexTxt,
  isServedTlp,
  newestFirst,
  providerMetadata,
  rolieFeed,
  servedTlps,
  type CsafFile,
  type ProviderUrls,
  type ServedTlpDirectory,
} from './csaf-provider-files.ts';
import { listPublicAdvisoriesOf } from './public.service.ts';

/**
 * Embargo as a CSAF 2.0 trusted provider (§7.1, role csaf_trusted_provider):
 * every published or withdrawn advisory labelled TLP:WHITE or TLP:GREEN, under
 * /.well-known/csaf/{white,green}/. Documents are rendered on each request
 * from the stored advisory (the renderer is pure, so the bytes only change
 * when the advisory does); AMBER and RED never reach a renderer here.
 */

export const CSAF_KEY_PURPOSE = 'csaf';
/** The organisation publishes about its own projects' software; the metadata and every document say so alike (§7.1.7). */
const PUBLISHER_CATEGORY = 'vendor';

export interface CsafResponse {
  body: string;
  contentType: string;
  lastModified: Date | undefined;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

export const csafProviderUrls = (publicUrl: string): ProviderUrls => ({ base: `${publicUrl}/.well-known/csaf` });

export async function csafSigner(ctx: ServiceContext): Promise<InstanceSigner> {
  const organisation = await getOrganisation(ctx);
  return instanceSigner(ctx, CSAF_KEY_PURPOSE, `${organisation.name} CSAF signing key`);
}

/**
 * Renders one advisory as served. The generator date is the advisory's last
 * modification, not the clock, so the bytes (and their hashes, signature and
 * ETag) change only when the advisory does. The year folder comes from the
 * document's initial release date (§7.1.11), which the self link contains,
 * so a first rendering finds the year and the second one is served.
 */
function renderFile(advisory: Advisory, tlpUrl: string): CsafFile | undefined {
  const render = (baseUrl: string) => `${JSON.stringify(renderCsaf(advisory, { now: new Date(advisory.modified), baseUrl, publisherCategory: PUBLISHER_CATEGORY }), null, 2)}\n`;
  try {
    const draft = csafFile(render(`${tlpUrl}/`), csafFilename(advisory.id), advisory.summary);
    return csafFile(render(`${tlpUrl}/${draft.path.split('/')[0]}/`), draft.filename, advisory.summary);
  } catch (error) {
    // §7.1.1 allows only valid documents: an advisory CSAF cannot express (no affected package) stays out of the provider instead of breaking it for everyone.
    if (isEmbargoError(error)) return undefined;
    throw error;
  }
}

/** The public documents of one TLP directory. Anything else (AMBER, RED, an unknown name) is not found, exactly like a missing file. */
async function filesOf(ctx: ServiceContext, publicUrl: string, tlp: string): Promise<{ tlp: ServedTlpDirectory; files: CsafFile[] }> {
  if (!isServedTlp(tlp)) throw new EmbargoError('not_found', `no CSAF directory "${tlp}"`);
  return { tlp, files: await servedFiles(ctx, publicUrl, [tlp]) };
}

/** The filter is on the label before rendering: a document of another level is never rendered here, let alone served. */
async function servedFiles(ctx: ServiceContext, publicUrl: string, tlps: readonly ServedTlpDirectory[]): Promise<CsafFile[]> {
  requireHttps(publicUrl);
  const advisories = await listPublicAdvisoriesOf(ctx, undefined, Number.MAX_SAFE_INTEGER);
  const urls = csafProviderUrls(publicUrl);
  return tlps.flatMap((tlp) =>
    advisories.filter((advisory) => advisory.tlp === servedTlps[tlp]).flatMap((advisory) => renderFile(advisory, `${urls.base}/${tlp}`) ?? []),
  );
}

/** §7.1.3: documents are only distributed over TLS, and their canonical URLs are https. A plain-http (development) instance has no provider. */
function requireHttps(publicUrl: string): void {
  if (!publicUrl.startsWith('https://')) throw new EmbargoError('not_found', 'the CSAF provider is only served from an https public URL (CSAF 2.0 §7.1.3)');
}

const newestChange = (files: readonly CsafFile[]) => {
  const newest = newestFirst(files)[0];
  return newest === undefined ? undefined : new Date(newest.currentReleaseDate);
};

/** When nothing is published yet, the feeds and the metadata date from the signing key (made here if need be): the moment the provider came to be. */
async function providerEpoch(ctx: ServiceContext): Promise<string> {
  await csafSigner(ctx);
  const key = await findInstanceKey(ctx.db, CSAF_KEY_PURPOSE);
  return (key?.created_at ?? ctx.now()).toISOString();
}

export async function csafProviderMetadata(ctx: ServiceContext, publicUrl: string): Promise<CsafResponse> {
  requireHttps(publicUrl);
  const [signer, organisation] = await Promise.all([csafSigner(ctx), getOrganisation(ctx)]);
  const files = await servedFiles(ctx, publicUrl, Object.keys(servedTlps) as ServedTlpDirectory[]);
  const newest = newestChange(files);
  const metadata = providerMetadata(csafProviderUrls(publicUrl), {
    // The organisation runs the instance and publishes for its projects; the CSAF documents name it the same way.
    publisher: { category: PUBLISHER_CATEGORY, name: organisation.name, namespace: publicUrl },
    fingerprint: signer.fingerprint,
    lastUpdated: newest?.toISOString() ?? (await providerEpoch(ctx)),
  });
  return { body: `${JSON.stringify(metadata, null, 2)}\n`, contentType: JSON_TYPE, lastModified: newest };
}

/** §7.1.20: the public key, at the URL the metadata names. */
export async function csafPublicKey(ctx: ServiceContext, publicUrl: string, file: string): Promise<CsafResponse> {
  requireHttps(publicUrl);
  const signer = await csafSigner(ctx);
  if (file !== `${signer.fingerprint}.asc`) throw new EmbargoError('not_found', `no key ${file}`);
  return { body: signer.publicKeyArmored, contentType: 'application/pgp-keys', lastModified: undefined };
}

export async function csafIndexTxt(ctx: ServiceContext, publicUrl: string, tlp: string): Promise<CsafResponse> {
  const { files } = await filesOf(ctx, publicUrl, tlp);
  return { body: indexTxt(files), contentType: TEXT_TYPE, lastModified: newestChange(files) };
}

export async function csafChangesCsv(ctx: ServiceContext, publicUrl: string, tlp: string): Promise<CsafResponse> {
  const { files } = await filesOf(ctx, publicUrl, tlp);
  return { body: changesCsv(files), contentType: 'text/csv; charset=utf-8', lastModified: newestChange(files) };
}

export async function csafFeed(ctx: ServiceContext, publicUrl: string, tlp: string, name: string): Promise<CsafResponse> {
  if (isServedTlp(tlp) && name !== feedName(tlp)) throw new EmbargoError('not_found', `no file ${name}`);
  const found = await filesOf(ctx, publicUrl, tlp);
  const organisation = await getOrganisation(ctx);
  const feed = rolieFeed(csafProviderUrls(publicUrl), found.tlp, organisation.name, found.files, await providerEpoch(ctx));
  return { body: `${JSON.stringify(feed, null, 2)}\n`, contentType: JSON_TYPE, lastModified: newestChange(found.files) };
}

/**
 * Detached signatures carry their creation time, so signing again would give
 * new bytes for the same document on every request (and a new ETag). They are
 * kept per key and document digest instead: stable, and signed once.
 */
const signatures = new Map<string, string>();
const SIGNATURE_CACHE_SIZE = 2000;

async function signatureOf(ctx: ServiceContext, text: string): Promise<string> {
  const signer = await csafSigner(ctx);
  const key = `${signer.fingerprint}:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
  const cached = signatures.get(key);
  if (cached !== undefined) return cached;
  const signature = await signer.sign(text);
  if (signatures.size >= SIGNATURE_CACHE_SIZE) signatures.delete(signatures.keys().next().value ?? '');
  signatures.set(key, signature);
  return signature;
}

const suffixes = ['.json', '.json.sha256', '.json.sha512', '.json.asc'] as const;

/** A document (`YYYY/name.json`) or one of its `.sha256`, `.sha512` and `.asc` companions (§7.1.18, §7.1.19). */
export async function csafDocumentFile(ctx: ServiceContext, publicUrl: string, tlp: string, year: string, name: string): Promise<CsafResponse> {
  const suffix = suffixes.find((candidate) => name.endsWith(candidate));
  const { files } = await filesOf(ctx, publicUrl, tlp);
  const documentName = suffix === undefined ? name : `${name.slice(0, name.length - suffix.length)}.json`;
  const file = files.find((candidate) => candidate.path === `${year}/${documentName}`);
  if (suffix === undefined || file === undefined) throw new EmbargoError('not_found', `no file ${year}/${name}`);
  const lastModified = new Date(file.currentReleaseDate);
  if (suffix === '.json') return { body: file.text, contentType: JSON_TYPE, lastModified };
  if (suffix === '.json.sha256') return { body: hashFile('sha256', file), contentType: TEXT_TYPE, lastModified };
  if (suffix === '.json.sha512') return { body: hashFile('sha512', file), contentType: TEXT_TYPE, lastModified };
  return { body: await signatureOf(ctx, file.text), contentType: 'application/pgp-signature', lastModified };
}
