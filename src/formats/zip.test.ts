import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../test/support/zip.ts';
import { crc32, zip } from './zip.ts';

describe('zip writer', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('writes archives that read back and that unzip accepts', async () => {
    const entries = [
      { name: 'PAYQI-2026-0001.json', data: Buffer.from(JSON.stringify({ id: 'PAYQI-2026-0001' })), modified: new Date('2026-11-23T09:00:00Z') },
      { name: 'ünïcode.json', data: Buffer.from('{}'.repeat(1000)), modified: new Date('2026-11-23T09:00:01Z') },
    ];
    const archive = zip(entries);
    expect(readZip(archive).map((e) => [e.name, e.data.toString()])).toEqual(entries.map((e) => [e.name, e.data.toString()]));
    const dir = await mkdtemp(join(tmpdir(), 'embargo-zip-'));
    await writeFile(join(dir, 'all.zip'), archive);
    const unzip = await promisify(execFile)('unzip', ['-o', '-q', join(dir, 'all.zip'), '-d', join(dir, 'out')]).then(() => true, (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
    if (unzip) expect(await readFile(join(dir, 'out', 'PAYQI-2026-0001.json'), 'utf8')).toBe('{"id":"PAYQI-2026-0001"}');
  });
});
