import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbargoError } from '../errors.ts';
import { encryptionKeyId } from '../services/keys.service.ts';
import { readConfig } from './index.ts';
import { addEncryptionKey } from './secrets-file.ts';

const strongSecret = 'Qm9vZ2llLXdvb2dpZS1ub3QtYS1yZWFsLWtleS1YeVo3JmsP';
const activeKey = 'Zk3pQ8vR2mT6wY1nB5cX9hJ4gF7dS0aL-_uE3iO8rN2qM6';
const olderKey = 'Hq7Lm2Xw9Ze4Rt1Yp6Ub3Nc8Vd5Kf0Ja-_Gs2Io7Eh4Wl9';
const oldestKey = 'Tr5Ny8Bq1Wm4Xe7Zk0Lp3Jc6Vh9Gd2Fs-_Ao5Ui8Ey1Rw4';
const production = { EMBARGO_ENV: 'production', EMBARGO_PUBLIC_URL: 'https://cvd.example.org', EMBARGO_SERVER_SECRET: strongSecret, EMBARGO_ENCRYPTION_KEY: activeKey };

async function dataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'embargo-keys-config-'));
}

async function configError(env: NodeJS.ProcessEnv): Promise<EmbargoError> {
  const error = await readConfig(env).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EmbargoError);
  return error as EmbargoError;
}

const rotate = (dir: string, now = new Date('2026-03-01T10:00:00Z')) => addEncryptionKey(dir, { now, keyIdOf: encryptionKeyId });

describe('previous encryption keys in the configuration', () => {
  it('reads EMBARGO_PREVIOUS_ENCRYPTION_KEYS as a comma-separated list, newest first', async () => {
    const config = await readConfig({ ...production, EMBARGO_PREVIOUS_ENCRYPTION_KEYS: ` ${olderKey}, ${oldestKey} ` });
    expect(config.secrets).toEqual({ serverSecret: strongSecret, encryptionKey: activeKey, previousEncryptionKeys: [olderKey, oldestKey] });
  });

  it('has none by default', async () => {
    expect((await readConfig(production)).secrets.previousEncryptionKeys).toEqual([]);
  });

  it('checks each previous key like the others in production, naming it', async () => {
    const error = await configError({ ...production, EMBARGO_PREVIOUS_ENCRYPTION_KEYS: `${olderKey},change-me-change-me-change-me-change-me,short,${activeKey}` });
    expect(error.details).toEqual([
      { path: 'secrets.previousEncryptionKeys[1]', message: expect.stringMatching(/placeholder/) },
      { path: 'secrets.previousEncryptionKeys[2]', message: expect.stringMatching(/at least 32/) },
      { path: 'secrets.previousEncryptionKeys[3]', message: 'repeats another encryption key' },
    ]);
    expect(JSON.stringify(error)).not.toContain(olderKey);
  });

  it('refuses previous keys without an active key', async () => {
    const error = await configError({ EMBARGO_DATA_DIR: await dataDir(), EMBARGO_PREVIOUS_ENCRYPTION_KEYS: olderKey });
    expect(error.details).toEqual([{ path: 'secrets.previousEncryptionKeys', message: expect.stringMatching(/EMBARGO_ENCRYPTION_KEY/) }]);
  });
});

describe('the generated secrets file', () => {
  it('still reads a version 1 file', async () => {
    const dir = await dataDir();
    await writeFile(join(dir, 'secrets.json'), JSON.stringify({ version: 1, serverSecret: strongSecret, encryptionKey: activeKey }), { mode: 0o600 });
    const config = await readConfig({ EMBARGO_DATA_DIR: dir });
    expect(config.secrets).toEqual({ serverSecret: strongSecret, encryptionKey: activeKey, previousEncryptionKeys: [] });
  });

  it('upgrades to version 2 at a rotation: a new active key first, the old one kept, mode 0600 throughout', async () => {
    const dir = await dataDir();
    const before = await readConfig({ EMBARGO_DATA_DIR: dir });
    const path = join(dir, 'secrets.json');
    const createdAt = (await stat(path)).mtime.toISOString();

    const rotation = await rotate(dir);
    const after = await readConfig({ EMBARGO_DATA_DIR: dir });
    expect(after.secrets.serverSecret).toBe(before.secrets.serverSecret);
    expect(after.secrets.previousEncryptionKeys).toEqual([before.secrets.encryptionKey]);
    expect(after.secrets.encryptionKey).not.toBe(before.secrets.encryptionKey);
    expect(rotation).toEqual({ activeKeyId: encryptionKeyId(after.secrets.encryptionKey), previousKeyIds: [encryptionKeyId(before.secrets.encryptionKey)] });

    const file = JSON.parse(await readFile(path, 'utf8'));
    expect(file).toEqual({
      version: 2,
      serverSecret: before.secrets.serverSecret,
      encryptionKeys: [
        { id: rotation.activeKeyId, createdAt: '2026-03-01T10:00:00.000Z', key: after.secrets.encryptionKey },
        { id: rotation.previousKeyIds[0], createdAt, key: before.secrets.encryptionKey },
      ],
    });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('round-trips version 2 through further rotations, newest first', async () => {
    const dir = await dataDir();
    await readConfig({ EMBARGO_DATA_DIR: dir });
    const first = await rotate(dir);
    const second = await rotate(dir, new Date('2026-04-01T10:00:00Z'));
    expect(second.previousKeyIds).toEqual([first.activeKeyId, ...first.previousKeyIds]);
    const config = await readConfig({ EMBARGO_DATA_DIR: dir });
    expect([config.secrets.encryptionKey, ...config.secrets.previousEncryptionKeys].map(encryptionKeyId)).toEqual([second.activeKeyId, ...second.previousKeyIds]);
    expect((await stat(join(dir, 'secrets.json'))).mode & 0o777).toBe(0o600);
  });

  it('refuses to rotate while another rotation holds the temporary file, and changes nothing', async () => {
    const dir = await dataDir();
    await readConfig({ EMBARGO_DATA_DIR: dir });
    const path = join(dir, 'secrets.json');
    const before = await readFile(path, 'utf8');
    await writeFile(`${path}.rotating`, '', { mode: 0o600 });
    const error = await rotate(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/another key rotation/) });
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('refuses a damaged version 2 file without quoting it', async () => {
    const dir = await dataDir();
    const key = { id: 'x', createdAt: '2026-01-01T00:00:00.000Z', key: activeKey };
    await writeFile(join(dir, 'secrets.json'), JSON.stringify({ version: 2, serverSecret: strongSecret, encryptionKeys: [key, key] }), { mode: 0o600 });
    const error = await configError({ EMBARGO_DATA_DIR: dir });
    expect(error.message).toMatch(/damaged/);
    expect(JSON.stringify(error)).not.toContain(activeKey);
  });

  it('refuses to rotate a secrets file other users can read', async () => {
    const dir = await dataDir();
    await readConfig({ EMBARGO_DATA_DIR: dir });
    await chmod(join(dir, 'secrets.json'), 0o644);
    await expect(rotate(dir)).rejects.toThrow(/chmod 600/);
    await expect(stat(join(dir, 'secrets.json.rotating'))).rejects.toThrow();
  });
});
