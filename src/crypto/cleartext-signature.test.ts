import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKey } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbargoError } from '../errors.ts';
import { parsePolicyYaml } from '../domain/policy/parse.ts';
import { minimalPolicyYaml } from '../domain/policy/test-fixtures.ts';
import { parseSecurityTxt, renderSecurityTxt } from '../formats/security-txt.ts';
import { signCleartext, verifyCleartext } from './cleartext-signature.ts';

const run = promisify(execFile);
const now = new Date('2026-11-23T12:00:00Z');

interface GpgResult {
  exitCode: number;
  output: string;
}

/** Runs gpg against a private, throw-away keyring; never the user's own. */
async function gpg(home: string, args: string[]): Promise<GpgResult> {
  try {
    const { stdout, stderr } = await run('/usr/bin/gpg', ['--homedir', home, '--batch', '--no-tty', ...args], { env: { ...process.env, LC_ALL: 'C' } });
    return { exitCode: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { exitCode: failure.code ?? -1, output: (failure.stdout ?? '') + (failure.stderr ?? '') };
  }
}

let gnupgHome: string;
let publicKey: string;
let privateKey: string;
let lockedPrivateKey: string;
let signedSecurityTxt: string;

beforeAll(async () => {
  gnupgHome = await mkdtemp(join(tmpdir(), 'embargo-gnupg-'));
  const open = await generateKey({ userIDs: [{ name: 'Acme Security', email: 'security@acme.example' }], format: 'armored' });
  publicKey = open.publicKey;
  privateKey = open.privateKey;
  const locked = await generateKey({ userIDs: [{ name: 'Locked' }], passphrase: 'correct horse', format: 'armored' });
  lockedPrivateKey = locked.privateKey;

  const keyFile = join(gnupgHome, 'signer.asc');
  await writeFile(keyFile, publicKey);
  const imported = await gpg(gnupgHome, ['--import', keyFile]);
  expect(imported.exitCode, imported.output).toBe(0);

  const text = renderSecurityTxt(parsePolicyYaml(minimalPolicyYaml), { now });
  signedSecurityTxt = await signCleartext(text, { armoredPrivateKey: privateKey });
});

afterAll(async () => {
  // Stops the gpg-agent of this home directory only, if gpg started one.
  await run('/usr/bin/gpgconf', ['--homedir', gnupgHome, '--kill', 'gpg-agent']).catch(() => undefined);
  await rm(gnupgHome, { recursive: true, force: true });
});

describe('signCleartext', () => {
  it('produces a cleartext-signed security.txt that still follows RFC 9116', () => {
    expect(signedSecurityTxt).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA\d+\n\n# Security contact/);
    expect(signedSecurityTxt).toContain('-----BEGIN PGP SIGNATURE-----');
    const report = parseSecurityTxt(signedSecurityTxt, { now });
    expect(report.signed).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.fields.map((field) => field.name)).toEqual(['Contact', 'Expires']);
  });

  it('verifies with GnuPG', async () => {
    const file = join(gnupgHome, 'security.txt');
    await writeFile(file, signedSecurityTxt);
    const result = await gpg(gnupgHome, ['--verify', file]);
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain('Good signature from "Acme Security <security@acme.example>"');
  });

  it('fails GnuPG verification once tampered with', async () => {
    const file = join(gnupgHome, 'tampered.txt');
    await writeFile(file, signedSecurityTxt.replace('mailto:security@acme.example', 'mailto:attacker@evil.example'));
    const result = await gpg(gnupgHome, ['--verify', file]);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('BAD signature');
  });

  it('unlocks a passphrase-protected key', async () => {
    const signed = await signCleartext('Contact: mailto:a@example.org\n', { armoredPrivateKey: lockedPrivateKey, passphrase: 'correct horse' });
    expect(signed).toContain('-----BEGIN PGP SIGNATURE-----');
  });

  it.each([
    ['no passphrase', () => ({ armoredPrivateKey: lockedPrivateKey }), 'passphrase'],
    ['a wrong passphrase', () => ({ armoredPrivateKey: lockedPrivateKey, passphrase: 'wrong' }), 'passphrase'],
    ['a public key', () => ({ armoredPrivateKey: publicKey }), 'armoredPrivateKey'],
  ])('refuses %s with a validation error', async (_case, key, path) => {
    const error = await signCleartext('x', key()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmbargoError);
    expect((error as EmbargoError).code).toBe('validation_failed');
    expect((error as EmbargoError).details[0]?.path).toBe(path);
  });
});

describe('verifyCleartext', () => {
  it('returns the signed text for a good signature', async () => {
    const result = await verifyCleartext(signedSecurityTxt, publicKey);
    expect(result.valid).toBe(true);
    if (result.valid) expect(result.text).toContain('Contact: mailto:security@acme.example');
  });

  it('reports a tampered message and a foreign key as invalid', async () => {
    const tampered = await verifyCleartext(signedSecurityTxt.replace('Expires: 2027', 'Expires: 2099'), publicKey);
    expect(tampered.valid).toBe(false);
    const other = await generateKey({ userIDs: [{ name: 'Someone Else' }], format: 'armored' });
    expect((await verifyCleartext(signedSecurityTxt, other.publicKey)).valid).toBe(false);
  });
});
