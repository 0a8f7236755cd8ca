import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../../test/support/app.ts';
import { openTestDatabase } from '../../test/support/databases.ts';
import { verifyDetached } from '../crypto/openpgp-detached-signature.ts';
import type { OpenDatabase } from '../storage/database.ts';
import { instanceSigner } from './instance-keys.service.ts';

describe('the instance signing key', () => {
  let database: OpenDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });
  afterAll(() => database?.close());

  it('is generated once, stored sealed, and makes detached signatures gpg accepts', async () => {
    const ctx = testContext(database);
    const first = await instanceSigner(ctx, 'csaf', 'Embargo CSAF');
    const again = await instanceSigner(ctx, 'csaf', 'Embargo CSAF');
    expect(again.fingerprint).toBe(first.fingerprint);
    const row = await database.db.selectFrom('instance_key').selectAll().executeTakeFirstOrThrow();
    expect(row.private_key_sealed).not.toMatch(/PRIVATE KEY/);

    const document = '{"document":{"title":"Example"}}\n';
    const signature = await first.sign(document);
    expect(await verifyDetached(document, signature, first.publicKeyArmored)).toBe(true);
    expect(await verifyDetached(document.replace('Example', 'Forged'), signature, first.publicKeyArmored)).toBe(false);

    const dir = await mkdtemp(join(tmpdir(), 'embargo-csaf-sig-'));
    await writeFile(join(dir, 'doc.json'), document);
    await writeFile(join(dir, 'doc.json.asc'), signature);
    await writeFile(join(dir, 'key.asc'), first.publicKeyArmored);
    const gpg = promisify(execFile);
    await gpg('gpg', ['--homedir', dir, '--batch', '--import', join(dir, 'key.asc')]);
    const verified = await gpg('gpg', ['--homedir', dir, '--batch', '--verify', join(dir, 'doc.json.asc'), join(dir, 'doc.json')]);
    expect(verified.stderr).toMatch(/Good signature/);
  });
});
