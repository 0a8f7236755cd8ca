import { openText, seal } from '../crypto/envelope.ts';
import { signDetached } from '../crypto/openpgp-detached-signature.ts';
import { generateOpenPgpKeyPair } from '../crypto/openpgp-generate-key.ts';
import { findInstanceKey, insertInstanceKeyOnce } from '../storage/repositories/instance-key.repository.ts';
import type { ServiceContext } from './context.ts';

export interface InstanceSigner {
  fingerprint: string;
  publicKeyArmored: string;
  sign(data: string): Promise<string>;
}

export const instanceKeyAad = (purpose: string) => ({ table: 'instance_key', column: 'private_key_sealed', rowId: purpose });

/** The instance's signing key for a purpose (e.g. `csaf`), generated and stored sealed the first time it is needed. */
export async function instanceSigner(ctx: ServiceContext, purpose: string, name: string): Promise<InstanceSigner> {
  let stored = await findInstanceKey(ctx.db, purpose);
  if (!stored) {
    const generated = await generateOpenPgpKeyPair({ name }, ctx.now());
    stored = await insertInstanceKeyOnce(ctx.db, {
      purpose,
      fingerprint: generated.fingerprint,
      public_key_armored: generated.publicKeyArmored,
      private_key_sealed: seal(ctx.keyring, generated.privateKeyArmored, instanceKeyAad(purpose)),
    });
  }
  const key = stored;
  return {
    fingerprint: key.fingerprint,
    publicKeyArmored: key.public_key_armored,
    sign: (data) => signDetached(data, openText(ctx.keyring, key.private_key_sealed, instanceKeyAad(purpose)), ctx.now()),
  };
}
