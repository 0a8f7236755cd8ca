import { readEncryptionPublicKey } from '../../crypto/openpgp-public-key.ts';
import type { Submission } from '../../domain/reports/submission.ts';
import { EmbargoError } from '../../errors.ts';
import type { ServiceContext } from '../context.ts';
import { decryptForProject } from './project-keys.service.ts';

/** The fields a reporter may send as OpenPGP messages encrypted to the project key. */
const ENCRYPTABLE = ['description', 'steps_to_reproduce', 'impact', 'suggested_fix'] as const;
/** The API's bound on a text field (MAX_TEXT in http/routes/reports/schema.ts), applied again to what the ciphertext held. */
const MAX_FIELD_CHARS = 50_000;

/**
 * Prepares a submission for the policy check and storage: the reporter's
 * public key must be one mail can be encrypted to (it is used for every mail
 * the team sends them), and armoured fields are decrypted with the project
 * key where Embargo holds it. `encryptedToTeam` says some field is stored as
 * received because it could not be decrypted here.
 */
export async function openSubmission(ctx: ServiceContext, projectId: string, submission: Submission): Promise<{ submission: Submission; encryptedToTeam: boolean }> {
  const opened: Submission = { ...submission };
  if (submission.reporter_public_key !== undefined) {
    opened.reporter_public_key = (await readEncryptionPublicKey(submission.reporter_public_key, { now: ctx.now(), path: 'body.reporter_public_key' })).armored;
  }
  let encryptedToTeam = false;
  for (const field of ENCRYPTABLE) {
    const value = submission[field];
    if (value === undefined) continue;
    const result = await decryptForProject(ctx, projectId, value);
    if (result.text.length > MAX_FIELD_CHARS) {
      throw new EmbargoError('validation_failed', `${field} is too long once decrypted`, [{ path: `body.${field}`, message: `must be at most ${MAX_FIELD_CHARS} characters once decrypted` }]);
    }
    opened[field] = result.text;
    encryptedToTeam ||= result.encryptedToTeam;
  }
  return { submission: opened, encryptedToTeam };
}
