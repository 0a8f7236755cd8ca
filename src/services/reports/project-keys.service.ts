import { openText, seal } from '../../crypto/envelope.ts';
import { decryptArmoredMessage, findArmoredMessages, OpenPgpDecryptError } from '../../crypto/openpgp-decrypt.ts';
import { generateOpenPgpKeyPair } from '../../crypto/openpgp-generate-key.ts';
import { unlockPrivateKey } from '../../crypto/openpgp-private-key.ts';
import { readEncryptionPublicKey } from '../../crypto/openpgp-public-key.ts';
import { userIdOf, type ApiTokenPrincipal, type UserPrincipal } from '../../domain/access/principal.ts';
import { EmbargoError } from '../../errors.ts';
import { isMimeEntity, readMimeEntity, type MailAttachment } from '../../mail/mime-entity.ts';
import type { ProjectKey } from '../../storage/schema-keys.ts';
import { clearProjectPrivateKey, findProjectKey, upsertProjectKey } from '../../storage/repositories/project-key.repository.ts';
import { auditActor } from '../audit-actor.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { getProject } from '../project.service.ts';

/**
 * A project's OpenPGP intake key. The public key is published (pgp-key.txt,
 * security.txt `Encryption`); the private key, when the team lets Embargo
 * hold it, is stored **unlocked** and sealed with the data-at-rest key.
 *
 * Why unlocked: intake decrypts unattended, at any hour, so a passphrase
 * would have to be stored next to the key, which adds nothing. The passphrase
 * is used once at upload and never stored; the key is as safe as every other
 * sealed value (a database dump alone does not open it), and teams that want
 * more keep the private key offline: Embargo then stores encrypted reports as
 * received and marks them encrypted-to-team.
 */
type TeamMember = UserPrincipal | ApiTokenPrincipal;

export interface ProjectKeyView {
  fingerprint: string;
  publicKey: string;
  hasPrivateKey: boolean;
  createdAt: Date;
}

export interface UploadKeyInput {
  publicKey: string;
  privateKey?: string | undefined;
  passphrase?: string | undefined;
}

const privateKeyAad = (projectId: string) => ({ table: 'project_key', column: 'private_key_sealed', rowId: projectId });

function view(row: ProjectKey): ProjectKeyView {
  return { fingerprint: row.fingerprint, publicKey: row.public_key_armored, hasPrivateKey: row.private_key_sealed !== null, createdAt: row.created_at };
}

type StoredKey = { fingerprint: string; publicKey: string; privateKey: string | undefined };

async function storeKey(ctx: ServiceContext, member: TeamMember, project: { id: string }, key: StoredKey, action: string, meta: RequestMeta): Promise<ProjectKeyView> {
  const now = ctx.now();
  const row: ProjectKey = {
    project_id: project.id,
    fingerprint: key.fingerprint,
    public_key_armored: key.publicKey,
    private_key_sealed: key.privateKey === undefined ? null : seal(ctx.keyring, key.privateKey, privateKeyAad(project.id)),
    created_at: now,
    created_by: userIdOf(member),
  };
  await ctx.db.transaction().execute(async (trx) => {
    const previous = await findProjectKey(trx, project.id);
    await upsertProjectKey(trx, row);
    const details = { fingerprint: key.fingerprint, privateKeyHeld: key.privateKey !== undefined, replaced: previous?.fingerprint ?? null };
    await appendAudit(trx, { actor: auditActor(member), action, object: { type: 'project', id: project.id }, outcome: 'success', ...meta, details, at: now });
  });
  return view(row);
}

/** Generates a new intake key pair held by Embargo, replacing any previous one. */
export async function generateProjectKey(ctx: ServiceContext, member: TeamMember, slug: string, meta: RequestMeta): Promise<ProjectKeyView> {
  const project = await getProject(ctx, slug);
  const pair = await generateOpenPgpKeyPair({ name: `${project.name} security team (Embargo intake)` }, ctx.now());
  return storeKey(ctx, member, project, { fingerprint: pair.fingerprint, publicKey: pair.publicKeyArmored, privateKey: pair.privateKeyArmored }, 'project.intake_key.generated', meta);
}

/** Installs the team's own key: the public key alone (private kept offline), or with its private key, unlocked here with the passphrase. */
export async function uploadProjectKey(ctx: ServiceContext, member: TeamMember, slug: string, input: UploadKeyInput, meta: RequestMeta): Promise<ProjectKeyView> {
  const project = await getProject(ctx, slug);
  const now = ctx.now();
  const publicKey = await readEncryptionPublicKey(input.publicKey, { now, path: 'body.publicKey' });
  const privateKey =
    input.privateKey === undefined
      ? undefined
      : await unlockPrivateKey(input.privateKey, { passphrase: input.passphrase, expectedFingerprint: publicKey.fingerprint, now, paths: { key: 'body.privateKey', passphrase: 'body.passphrase' } });
  return storeKey(ctx, member, project, { fingerprint: publicKey.fingerprint, publicKey: publicKey.armored, privateKey: privateKey?.armored }, 'project.intake_key.uploaded', meta);
}

/** The team takes the private key offline: from now on encrypted reports are stored as received. */
export async function removePrivateKey(ctx: ServiceContext, member: TeamMember, slug: string, meta: RequestMeta): Promise<ProjectKeyView> {
  const project = await getProject(ctx, slug);
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const removed = await clearProjectPrivateKey(trx, project.id);
    const row = await findProjectKey(trx, project.id);
    if (!row) throw new EmbargoError('not_found', `project "${slug}" has no intake key`);
    await appendAudit(trx, { actor: auditActor(member), action: 'project.intake_key.private_removed', object: { type: 'project', id: project.id }, outcome: 'success', ...meta, details: { fingerprint: row.fingerprint, removed }, at: now });
    return view(row);
  });
}

/** The project's armoured intake public key, or undefined when it has none. */
export async function findPublicKey(ctx: Pick<ServiceContext, 'db'>, projectId: string): Promise<string | undefined> {
  return (await findProjectKey(ctx.db, projectId))?.public_key_armored;
}

/**
 * What a reporter's browser needs to encrypt: the intake key (or the key the
 * policy embeds) and whether Embargo holds its private half. Without it the
 * form encrypts every field and file, since nothing here could read them.
 */
export async function getIntakeEncryption(ctx: Pick<ServiceContext, 'db'>, slug: string): Promise<{ publicKey: string; fingerprint: string | null; serverCanDecrypt: boolean } | null> {
  const project = await getProject(ctx, slug);
  const row = await findProjectKey(ctx.db, project.id);
  if (row) return { publicKey: row.public_key_armored, fingerprint: row.fingerprint, serverCanDecrypt: row.private_key_sealed !== null };
  const embedded = project.policy.encryption?.public_key;
  return embedded === undefined ? null : { publicKey: embedded, fingerprint: project.policy.encryption?.fingerprint ?? null, serverCanDecrypt: false };
}

/** What pgp-key.txt serves: the intake key, else the key the policy embeds (what SECURITY.md shows). */
export async function getPublicKey(ctx: Pick<ServiceContext, 'db'>, slug: string): Promise<string> {
  const project = await getProject(ctx, slug);
  const armored = (await findPublicKey(ctx, project.id)) ?? project.policy.encryption?.public_key;
  if (armored === undefined) throw new EmbargoError('not_found', `project "${slug}" publishes no OpenPGP key`);
  return armored;
}

export interface DecryptedText {
  text: string;
  /** Something was encrypted and Embargo decrypted all of it. */
  decrypted: boolean;
  /** Something was encrypted and is kept as received: no private key here, or it did not open. */
  encryptedToTeam: boolean;
  /** Files from inside PGP/MIME payloads. */
  attachments: MailAttachment[];
  /** A protected Subject from inside a PGP/MIME payload. */
  subject: string | undefined;
}

/**
 * The plaintext bound when the caller gives none. API fields are checked against their 50,000
 * characters after decryption; this only stops a compressed message from expanding without limit.
 */
const DEFAULT_MAX_PLAINTEXT_BYTES = 1024 * 1024;

/**
 * Decrypts the armoured OpenPGP messages in a text (inline PGP: the rest of
 * the text stays where it was) with the project's private key. Text without
 * one passes through. When the project holds no private key, or a message
 * does not open (encrypted to another key, damaged, too large), the whole
 * text is kept as received and flagged encrypted-to-team: nothing is lost,
 * and the team can decrypt it offline.
 */
export async function decryptForProject(ctx: ServiceContext, projectId: string, text: string, options: { maxBytes?: number } = {}): Promise<DecryptedText> {
  const blocks = findArmoredMessages(text);
  const received = { text, decrypted: false, attachments: [], subject: undefined };
  if (blocks.length === 0) return { ...received, encryptedToTeam: false };
  const row = await findProjectKey(ctx.db, projectId);
  if (!row?.private_key_sealed) return { ...received, encryptedToTeam: true };
  const privateKey = openText(ctx.keyring, row.private_key_sealed, privateKeyAad(projectId));
  const outside: string[] = [];
  const inside: string[] = [];
  const attachments: MailAttachment[] = [];
  let subject: string | undefined;
  let at = 0;
  try {
    for (const block of blocks) {
      const bytes = await decryptArmoredMessage(block.armored, privateKey, { maxBytes: options.maxBytes ?? DEFAULT_MAX_PLAINTEXT_BYTES });
      // Text literals travel with CRLF line ends (RFC 9580 canonical text); stored text uses LF like everything else.
      const plain = { text: new TextDecoder().decode(bytes).replace(/\r\n/g, '\n'), subject: undefined, attachments: [] };
      // A payload that looks like MIME but does not parse is still the reporter's words: keep it as text.
      const content = isMimeEntity(bytes) ? await readMimeEntity(bytes).catch(() => plain) : plain;
      outside.push(text.slice(at, block.start));
      inside.push(content.text);
      attachments.push(...content.attachments);
      subject ??= content.subject;
      at = block.end;
    }
  } catch (error) {
    if (error instanceof OpenPgpDecryptError) return { ...received, encryptedToTeam: true };
    throw error;
  }
  outside.push(text.slice(at));
  // A field that is nothing but a message becomes just its plaintext, not plaintext plus the armour's line breaks.
  const merged = outside.every((part) => part.trim() === '') ? inside.join('\n\n') : outside.map((part, index) => part + (inside[index] ?? '')).join('');
  return { text: merged, decrypted: true, encryptedToTeam: false, attachments, subject };
}
