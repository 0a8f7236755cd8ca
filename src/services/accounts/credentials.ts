import { hashPassword, verifyPassword as verifyStoredPassword } from '../../crypto/password-hash.ts';
import { checkPassword, normalisePassword } from '../../domain/accounts/password-policy.ts';
import { EmbargoError } from '../../errors.ts';
import { passwordHashParams, type AuthSettings } from '../context.ts';

/** Refuses passwords that break the policy, naming each problem under `path`. */
export function assertAcceptablePassword(password: string, auth: AuthSettings, context: string[], path = 'body.password'): void {
  const result = checkPassword(password, { minLength: auth.passwordMinLength, maxLength: 128, context });
  if (!result.ok) {
    throw new EmbargoError('weak_password', 'choose a different password', result.problems.map((p) => ({ path, message: p.message })));
  }
}

/** Passwords are hashed in Unicode NFC, so the same password typed on another system (other composition of é) still matches. */
export function hashNewPassword(password: string, auth: AuthSettings): Promise<string> {
  return hashPassword(normalisePassword(password), passwordHashParams(auth));
}

export function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  return verifyStoredPassword(storedHash, normalisePassword(password));
}

/** The parameters a hash was made with, from its PHC string. */
function hashParams(hash: string): string | undefined {
  return /\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash)?.slice(1).join(',');
}

/** True when the stored hash was made with other parameters than the configured ones: rehash at the next successful login. */
export function needsRehash(storedHash: string, auth: AuthSettings): boolean {
  const wanted = `${auth.argon2MemoryKib},${auth.argon2Iterations},${auth.argon2Parallelism}`;
  return !storedHash.startsWith('$argon2id$') || hashParams(storedHash) !== wanted;
}

/**
 * A hash of a random password, verified against when the email is unknown so
 * that a login for a missing account costs the same time as a wrong password.
 */
let dummyHash: Promise<string> | undefined;
export function verifyAgainstDummy(password: string, auth: AuthSettings): Promise<boolean> {
  dummyHash ??= hashNewPassword(`dummy-${Math.random()}`, auth);
  return dummyHash.then((hash) => verifyPassword(hash, password));
}


/** Words a password must not be built from: the user's own email and the product name. */
export function passwordContext(email: string, extra: string[] = []): string[] {
  const local = email.split('@')[0] ?? '';
  return [email, local, 'embargo', ...extra].filter((w) => w.length >= 3);
}
