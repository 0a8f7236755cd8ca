/**
 * The addresses the email intake answers for, on the configured intake domain:
 *
 * - `security@{domain}`: the organisation's default project (what its security.txt names);
 * - `security+{slug}@{domain}`: one project;
 * - `security+{slug}.r.{token}@{domain}`: the thread of one report (the Reply-To of its
 *   acknowledgement). A slug cannot contain a dot, so the first dot ends it.
 *
 * Matching ignores case: mail systems are allowed to change it.
 */
const LOCAL = 'security';
const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** What crypto/mail-token.ts generates: 26 characters of lower-case base32. */
const REPLY_TOKEN = /^[a-z2-7]{26}$/;

export type IntakeAddress = { kind: 'default' } | { kind: 'project'; slug: string } | { kind: 'reply'; slug: string; token: string };

export function parseIntakeAddress(address: string, domain: string): IntakeAddress | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return undefined;
  const local = address.slice(0, at).toLowerCase();
  if (local === LOCAL) return { kind: 'default' };
  if (!local.startsWith(`${LOCAL}+`)) return undefined;
  const [slug = '', marker, token, ...rest] = local.slice(LOCAL.length + 1).split('.');
  if (!SLUG.test(slug) || rest.length > 0) return undefined;
  if (marker === undefined) return { kind: 'project', slug };
  return marker === 'r' && token !== undefined && REPLY_TOKEN.test(token) ? { kind: 'reply', slug, token } : undefined;
}

export function projectIntakeAddress(slug: string, domain: string): string {
  return `${LOCAL}+${slug}@${domain}`;
}

export function replyAddress(slug: string, token: string, domain: string): string {
  return `${LOCAL}+${slug}.r.${token}@${domain}`;
}
