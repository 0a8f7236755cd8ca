import { mkdtemp, readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbargoError } from '../errors.ts';
import { readConfig } from './index.ts';
import { weaknessOf } from './secrets.ts';

const strongSecret = 'Qm9vZ2llLXdvb2dpZS1ub3QtYS1yZWFsLWtleS1YeVo3JmsP';
const strongKey = 'Zk3pQ8vR2mT6wY1nB5cX9hJ4gF7dS0aL-_uE3iO8rN2qM6';

async function dataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'embargo-config-'));
}

async function configError(env: NodeJS.ProcessEnv): Promise<EmbargoError> {
  const error = await readConfig(env).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EmbargoError);
  expect((error as EmbargoError).code).toBe('invalid_config');
  return error as EmbargoError;
}

describe('configuration', () => {
  it('names the bad field when a value is malformed', async () => {
    const error = await configError({ EMBARGO_DATA_DIR: await dataDir(), EMBARGO_PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    const paths = error.details.map((d) => d.path);
    expect(paths).toContain('port');
    expect(paths).toContain('database.url');
  });

  it('generates embedded secrets once, with mode 0600, and reuses them', async () => {
    const dir = await dataDir();
    const first = await readConfig({ EMBARGO_DATA_DIR: dir });
    const second = await readConfig({ EMBARGO_DATA_DIR: dir });
    expect(first.secrets.serverSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.secrets.encryptionKey).not.toBe(first.secrets.serverSecret);
    expect(second.secrets).toEqual(first.secrets);
    expect((await stat(join(dir, 'secrets.json'))).mode & 0o777).toBe(0o600);
  });

  it('refuses a secrets file other users can read', async () => {
    const dir = await dataDir();
    await readConfig({ EMBARGO_DATA_DIR: dir });
    await chmod(join(dir, 'secrets.json'), 0o644);
    const error = await configError({ EMBARGO_DATA_DIR: dir });
    expect(error.message).toMatch(/chmod 600/);
  });

  it('refuses to start in production without secrets, naming each', async () => {
    const error = await configError({ EMBARGO_ENV: 'production', EMBARGO_PUBLIC_URL: 'https://cvd.example.org', EMBARGO_DATA_DIR: await dataDir() });
    expect(error.details.map((d) => d.path).sort()).toEqual(['secrets.encryptionKey', 'secrets.serverSecret']);
  });

  it('refuses short and placeholder secrets in production', async () => {
    const error = await configError({
      EMBARGO_ENV: 'production',
      EMBARGO_PUBLIC_URL: 'https://cvd.example.org',
      EMBARGO_SERVER_SECRET: 'short',
      EMBARGO_ENCRYPTION_KEY: 'change-me-change-me-change-me-change-me',
    });
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'secrets.serverSecret', message: expect.stringMatching(/at least 32/) }),
        expect.objectContaining({ path: 'secrets.encryptionKey', message: expect.stringMatching(/placeholder/) }),
      ]),
    );
  });

  it('accepts strong secrets in production and writes no secrets file', async () => {
    const dir = await dataDir();
    const config = await readConfig({
      EMBARGO_ENV: 'production',
      EMBARGO_PUBLIC_URL: 'https://cvd.example.org/',
      EMBARGO_DATA_DIR: dir,
      EMBARGO_SERVER_SECRET: strongSecret,
      EMBARGO_ENCRYPTION_KEY: strongKey,
    });
    expect(config.publicUrl).toBe('https://cvd.example.org');
    await expect(stat(join(dir, 'secrets.json'))).rejects.toThrow();
  });

  it('requires an https public URL in production', async () => {
    const error = await configError({ EMBARGO_ENV: 'production', EMBARGO_PUBLIC_URL: 'http://cvd.example.org', EMBARGO_SERVER_SECRET: strongSecret, EMBARGO_ENCRYPTION_KEY: strongKey });
    expect(error.details[0]?.path).toBe('publicUrl');
  });

  it('reads a YAML config file, with the environment taking precedence', async () => {
    const dir = await dataDir();
    const file = join(dir, 'embargo.yaml');
    await writeFile(file, `port: 4100\nhost: 0.0.0.0\ndataDir: ${dir}\ndatabase:\n  url: postgres://db.internal/embargo\n  ssl: verify-full\n`);
    const config = await readConfig({ EMBARGO_CONFIG: file, EMBARGO_PORT: '4200' });
    expect(config.port).toBe(4200);
    expect(config.host).toBe('0.0.0.0');
    expect(config.database).toMatchObject({ url: 'postgres://db.internal/embargo', ssl: 'verify-full' });
  });

  it('rejects unknown keys in the config file', async () => {
    const dir = await dataDir();
    const file = join(dir, 'embargo.yaml');
    await writeFile(file, `prot: 4100\ndataDir: ${dir}\n`);
    const error = await configError({ EMBARGO_CONFIG: file });
    expect(JSON.stringify(error.details)).toMatch(/prot/);
    expect(await readFile(file, 'utf8')).toContain('prot');
  });
});

describe('weaknessOf', () => {
  it.each([
    ['a'.repeat(40), /variety/],
    ['abababababababababababababababab12', /variety/],
    ['my-super-secret-value-for-embargo-prod', /placeholder/],
    ['x'.repeat(10), /at least 32/],
  ])('flags %s', (value, reason) => {
    expect(weaknessOf(value)).toMatch(reason);
  });

  it('accepts a random secret', () => {
    expect(weaknessOf(strongSecret)).toBeUndefined();
  });
});
