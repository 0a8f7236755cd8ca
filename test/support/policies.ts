import { readFile } from 'node:fs/promises';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './cli.ts';

/**
 * The example policies carry a fixed security.txt expiry, which real time
 * overtakes. Tests use a copy that expires `days` after `from` (now, or the
 * test's own clock), so they keep passing next year.
 */
export async function examplePolicyExpiringIn(name: string, days = 180, from: Date = new Date()): Promise<{ text: string; file: string }> {
  const original = await readFile(join(repoRoot, 'examples/policies', `${name}.yaml`), 'utf8');
  const expires = new Date(from.getTime() + days * 86_400_000).toISOString();
  const text = original.replace(/^(\s+expires:) .*$/m, `$1 ${expires}`);
  if (text === original) throw new Error(`examples/policies/${name}.yaml has no security_txt.expires line`);
  const file = join(await mkdtemp(join(tmpdir(), 'embargo-policy-')), `${name}.yaml`);
  await writeFile(file, text);
  return { text, file };
}
