import { inflateRawSync } from 'node:zlib';
import { expect } from 'vitest';
import { crc32 } from '../../src/formats/zip.ts';

/** Reads entries back through the central directory, as unzip tools do. */
export function readZip(archive: Buffer): Array<{ name: string; data: Buffer }> {
  const end = archive.length - 22;
  expect(archive.readUInt32LE(end)).toBe(0x06054b50);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const entries: Array<{ name: string; data: Buffer }> = [];
  for (let i = 0; i < count; i += 1) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const nameLength = archive.readUInt16LE(at + 28);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const local = archive.readUInt32LE(at + 42);
    const size = archive.readUInt32LE(at + 20);
    const start = local + 30 + archive.readUInt16LE(local + 26);
    const data = inflateRawSync(archive.subarray(start, start + size));
    expect(crc32(data)).toBe(archive.readUInt32LE(at + 16));
    entries.push({ name, data });
    at += 46 + nameLength;
  }
  return entries;
}
