/** `contacts` and `encryption`: where reports go and how to protect them on the way. */
import { z } from 'zod';
import { emailSchema, httpsUrlSchema, lineSchema, uniqueBy } from './schema-primitives.ts';

const contactDisplay = {
  /** Who or what sits behind the contact, e.g. "Security Team" or "GitHub Security Advisories". */
  label: lineSchema.optional(),
  /** A remark shown next to the contact, e.g. "preferred". */
  note: lineSchema.optional(),
};

export const contactSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('email'), address: emailSchema, ...contactDisplay }),
    /** A page with a report form: Embargo's intake, GitHub's "Report a vulnerability", a bounty platform. */
    z.strictObject({ kind: z.literal('web_form'), url: httpsUrlSchema, ...contactDisplay }),
    /** Any other https page that tells reporters how to reach the team. */
    z.strictObject({ kind: z.literal('link'), url: httpsUrlSchema, ...contactDisplay }),
  ],
  { error: 'Each contact needs kind: email, web_form or link' },
);

export type Contact = z.output<typeof contactSchema>;

/** The URI that represents a contact in security.txt and in links. */
export function contactUri(contact: Contact): string {
  return contact.kind === 'email' ? `mailto:${contact.address}` : contact.url;
}

/** Ordered by preference: the first contact is where reports should go first. */
export const contactsSchema = z
  .array(contactSchema)
  .min(1, 'List at least one contact')
  .superRefine(uniqueBy(contactUri, 'contact'));

const armoredPublicKeyPattern = /^-----BEGIN PGP PUBLIC KEY BLOCK-----\r?\n[\s\S]+\r?\n-----END PGP PUBLIC KEY BLOCK-----$/;

const armoredPublicKeySchema = z
  .string()
  .trim()
  .superRefine((text, ctx) => {
    if (text.includes('PRIVATE KEY BLOCK')) {
      ctx.addIssue({ code: 'custom', message: 'This is a private key. Remove it from the policy at once and publish only the public key' });
    } else if (!armoredPublicKeyPattern.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'Must be an ASCII-armored OpenPGP public key (-----BEGIN PGP PUBLIC KEY BLOCK----- … -----END PGP PUBLIC KEY BLOCK-----)' });
    }
  });

/** v4 fingerprints are 40 hex digits, v6 ones 64; spaces as printed by gpg are allowed. */
const fingerprintSchema = z
  .string()
  .transform((text) => text.replace(/\s+/g, '').toUpperCase())
  .refine((hex) => /^([0-9A-F]{40}|[0-9A-F]{64})$/.test(hex), 'Must be an OpenPGP fingerprint of 40 or 64 hex digits');

export const encryptionSchema = z
  .strictObject({
    public_key: armoredPublicKeySchema.optional(),
    /** Where the public key can be downloaded; becomes security.txt's Encryption field. */
    key_url: httpsUrlSchema.optional(),
    fingerprint: fingerprintSchema.optional(),
    /** For projects without a published key, e.g. "Our PGP key is available upon request." */
    statement: lineSchema.optional(),
  })
  .refine(
    (encryption) => Object.values(encryption).some((value) => value !== undefined),
    'Give at least one of public_key, key_url, fingerprint or statement',
  );

export type Encryption = z.output<typeof encryptionSchema>;
