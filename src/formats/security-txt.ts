/**
 * security.txt (RFC 9116) from a policy. The renderer refuses rather than
 * emits a file a parser would reject or that is stale: an expired file tells
 * researchers nobody is listening, which is worse than no file.
 */
import { contactSchema, contactUri } from '../domain/policy/schema-contacts.ts';
import type { Contact, Policy } from '../domain/policy/schema.ts';
import { EmbargoError, detailsFromZodIssues } from '../errors.ts';

export { parseSecurityTxt } from './security-txt-validate.ts';
export type { SecurityTxtField, SecurityTxtReport } from './security-txt-validate.ts';

export interface SecurityTxtOptions {
  /** The clock is passed in so rendering stays deterministic and testable. */
  now: Date;
  /** Where this file is served; added to the policy's own Canonical URLs. */
  canonicalUrl?: string | undefined;
  /** Used when the policy has no security_txt.policy of its own (e.g. the instance's SECURITY.md page). */
  policyUrl?: string | undefined;
  /** Used when the policy has no key_url: where the instance publishes the project's key (its intake key, or the one the policy embeds). */
  encryptionUrl?: string | undefined;
  /** Replaces the policy's contacts, e.g. with the instance's intake form only. */
  contactsOverride?: readonly Contact[] | undefined;
  /** The CSAF provider-metadata.json this host serves (CSAF 2.0 §7.1.8: the `CSAF` field of the domain's security.txt). */
  csafUrl?: string | undefined;
}

/**
 * Renders the unsigned file. Fails with `security_txt_expired` when Expires is
 * not after `now`, and with `invalid_policy` when it is more than a year after
 * `now`: RFC 9116 §2.5.5 recommends less than a year, and we treat that as a rule
 * so a forgotten file cannot stay authoritative for years.
 */
export function renderSecurityTxt(policy: Policy, opts: SecurityTxtOptions): string {
  const expires = checkedExpiry(policy.security_txt.expires, opts.now);
  const contacts = opts.contactsOverride === undefined ? policy.contacts : checkedContacts(opts.contactsOverride);
  const encryption = policy.encryption;
  const publishedKeyUrl = optionUrl(opts.encryptionUrl, 'encryptionUrl');
  const canonical = [...policy.security_txt.canonical, optionUrl(opts.canonicalUrl, 'canonicalUrl')];

  const fields: Array<[string, string | undefined]> = [
    ...contacts.map((contact): [string, string] => ['Contact', contactUri(contact)]),
    ['Expires', expires],
    ['Encryption', encryption?.key_url ?? publishedKeyUrl],
    // RFC 9116 §2.5.4 allows an OpenPGP fingerprint URI when there is no key URL to point at.
    ['Encryption', encryption?.fingerprint === undefined ? undefined : `openpgp4fpr:${encryption.fingerprint.toLowerCase()}`],
    ['Acknowledgments', policy.security_txt.acknowledgments],
    ['Preferred-Languages', policy.preferred_languages?.join(', ')],
    ...[...new Set(canonical)].map((url): [string, string | undefined] => ['Canonical', url]),
    ['Policy', policy.security_txt.policy ?? optionUrl(opts.policyUrl, 'policyUrl')],
    ['Hiring', policy.security_txt.hiring],
    ['CSAF', optionUrl(opts.csafUrl, 'csafUrl')],
  ];
  const header = `# Security contact for ${policy.project.name.replace(/[\r\n]/g, ' ')}, generated from its security policy.`;
  const lines = fields.filter((field): field is [string, string] => field[1] !== undefined).map(([name, value]) => `${name}: ${value}`);
  return `${[header, ...lines].join('\n')}\n`;
}

function checkedExpiry(expires: string, now: Date): string {
  const expiry = new Date(expires);
  if (expiry.getTime() <= now.getTime()) {
    throw new EmbargoError('security_txt_expired', `security.txt expired on ${expires}; set security_txt.expires to a later date`, [
      { path: 'security_txt.expires', message: `must be after ${now.toISOString()}` },
    ]);
  }
  const oneYearAhead = new Date(now);
  oneYearAhead.setUTCFullYear(oneYearAhead.getUTCFullYear() + 1);
  if (expiry.getTime() > oneYearAhead.getTime()) {
    throw new EmbargoError('invalid_policy', `security.txt expiry ${expires} is more than a year away; RFC 9116 recommends less than a year`, [
      { path: 'security_txt.expires', message: `must be no later than ${oneYearAhead.toISOString()}` },
    ]);
  }
  return expiry.toISOString();
}

function checkedContacts(contacts: readonly Contact[]): readonly Contact[] {
  const result = contactSchema.array().min(1).safeParse(contacts);
  if (!result.success) {
    throw new EmbargoError('validation_failed', 'contactsOverride must hold at least one valid contact', detailsFromZodIssues(result.error.issues, ['contactsOverride']));
  }
  return result.data;
}

function optionUrl(url: string | undefined, name: string): string | undefined {
  if (url === undefined) return undefined;
  if (!URL.canParse(url) || new URL(url).protocol !== 'https:') {
    throw new EmbargoError('validation_failed', `${name} must be an https:// URL (RFC 9116)`, [{ path: name, message: 'must be an https:// URL' }]);
  }
  return url;
}
