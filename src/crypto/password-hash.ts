import { hash, verify, type Algorithm } from '@node-rs/argon2';

// Algorithm is an ambient const enum, which isolated modules cannot read; 2 is its Argon2id member.
const ARGON2ID = 2 as Algorithm;

/**
 * argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane) by
 * default. Parameters are encoded in the hash string, so old hashes still
 * verify after the defaults change; the accounts issue adds rehash-on-login.
 */
export interface PasswordHashParams {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const defaultPasswordHashParams: PasswordHashParams = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string, params: PasswordHashParams = defaultPasswordHashParams): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...params });
}

/** argon2's verify compares in constant time. A malformed stored hash counts as a mismatch rather than an error. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
