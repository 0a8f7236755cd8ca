import { createHash } from 'node:crypto';
import { z } from 'zod';
import { EmbargoError } from '../../errors.ts';

/**
 * What the encrypted container (crypto/backup-envelope.ts) holds:
 *
 *   manifest length (4 bytes, big-endian) | manifest (UTF-8 JSON) | secrets file bytes | database dump bytes
 *
 * The manifest names the schema (the applied migrations), the engine and dump format, and the
 * length and SHA-256 of each part: a restore checks them on top of the GCM tag, so a part cut
 * short or swapped by a bug in this code is caught as surely as tampering.
 */
const part = z.object({ bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

export const manifestSchema = z
  .object({
    format: z.literal(1),
    createdAt: z.iso.datetime(),
    engine: z.enum(['pglite', 'postgres']),
    /** `pglite-datadir`: PGlite's own dumpDataDir tarball (gzip); `pg_dump-custom`: `pg_dump --format=custom`. */
    dumpFormat: z.enum(['pglite-datadir', 'pg_dump-custom']),
    /** The producing tool's version: a PGlite data directory only loads into the same PGlite release line. */
    dumpTool: z.string(),
    migrations: z.array(z.string()),
    dump: part,
    /** `<dataDir>/secrets.json` when the instance's keys were generated there; null when they come from configuration. */
    secretsFile: part.nullable(),
    /** Fingerprints (never the keys) of the secrets the data was sealed and signed with. */
    keys: z.object({ serverSecret: z.string(), encryptionKeys: z.array(z.string()) }).strict(),
  })
  .strict();

export type BackupManifest = z.infer<typeof manifestSchema>;

export const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export function describePart(bytes: Buffer): { bytes: number; sha256: string } {
  return { bytes: bytes.length, sha256: sha256Hex(bytes) };
}

export function packPayload(manifest: BackupManifest, secretsFile: Buffer | null, dump: Buffer): Buffer {
  const manifestBytes = Buffer.from(JSON.stringify(manifest), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(manifestBytes.length);
  return Buffer.concat([length, manifestBytes, secretsFile ?? Buffer.alloc(0), dump]);
}

const damaged = (why: string) => new EmbargoError('validation_failed', `the backup's content is damaged: ${why}`);

function checkPart(name: string, bytes: Buffer, expected: { bytes: number; sha256: string }): Buffer {
  if (bytes.length !== expected.bytes || sha256Hex(bytes) !== expected.sha256) throw damaged(`the ${name} does not match its recorded SHA-256`);
  return bytes;
}

export function unpackPayload(payload: Buffer): { manifest: BackupManifest; secretsFile: Buffer | null; dump: Buffer } {
  if (payload.length < 4) throw damaged('no manifest');
  const manifestEnd = 4 + payload.readUInt32BE(0);
  if (manifestEnd > payload.length) throw damaged('the manifest is cut short');
  let manifest: BackupManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(payload.subarray(4, manifestEnd).toString('utf8')));
  } catch {
    throw damaged('the manifest is not readable by this version of Embargo');
  }
  const secretsEnd = manifestEnd + (manifest.secretsFile?.bytes ?? 0);
  if (secretsEnd + manifest.dump.bytes !== payload.length) throw damaged('its parts do not add up to the recorded lengths');
  const secretsFile = manifest.secretsFile ? checkPart('secrets file', payload.subarray(manifestEnd, secretsEnd), manifest.secretsFile) : null;
  return { manifest, secretsFile, dump: checkPart('database dump', payload.subarray(secretsEnd), manifest.dump) };
}
