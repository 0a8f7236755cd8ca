import { lookup } from 'node:dns/promises';
import { isForbiddenAddress, isLoopbackAddress } from '../../domain/webhooks/address-ranges.ts';
import { EmbargoError } from '../../errors.ts';

export type ResolveHost = (hostname: string) => Promise<string[]>;

const resolveAll: ResolveHost = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export interface WebhookTarget {
  url: URL;
  /** The checked address to connect to: the request goes there, not to a second resolution a rebinding DNS server could answer differently. */
  address: string;
}

function refuse(message: string, path: string): never {
  throw new EmbargoError('validation_failed', message, [{ path, message }]);
}

/**
 * The server-side request forgery guard, run when a webhook is created or
 * changed and again before every delivery. In production a target must be
 * https and every address its host resolves to must be public; elsewhere
 * loopback is allowed too (http included), for local receivers and tests.
 */
export async function resolveWebhookTarget(rawUrl: string, env: 'development' | 'production' | 'test', options: { path?: string; resolve?: ResolveHost } = {}): Promise<WebhookTarget> {
  const path = options.path ?? 'body.url';
  const url = URL.canParse(rawUrl) ? new URL(rawUrl) : refuse('is not a URL', path);
  const production = env === 'production';
  if (url.protocol !== 'https:' && (production || url.protocol !== 'http:')) refuse(production ? 'must be an https:// URL' : 'must be an http:// or https:// URL', path);
  // Credentials in the URL would be sent on every delivery and shown in listings; the signature authenticates us instead.
  if (url.username || url.password) refuse('must not contain credentials', path);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = await (options.resolve ?? resolveAll)(hostname);
  } catch {
    refuse(`host ${hostname} does not resolve`, path);
  }
  if (addresses.length === 0) refuse(`host ${hostname} does not resolve`, path);
  const allowed = (address: string) => !isForbiddenAddress(address) || (!production && isLoopbackAddress(address));
  // All of them: a host resolving to one public and one private address could be reached at either.
  const bad = addresses.find((address) => !allowed(address));
  if (bad !== undefined) refuse(`resolves to ${bad}, a private, loopback or reserved address`, path);
  return { url, address: addresses[0]! };
}
