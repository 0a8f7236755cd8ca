import { describe, expect, it } from 'vitest';
import { combinedVersionStatus, versionStatus } from './version-support.ts';

const table = (rows: Array<{ range: string; supported: boolean }>) => ({ supported_versions: { rows: rows.map((r) => ({ ...r, label: r.range })) } }) as never;

describe('supported-version verdicts', () => {
  const peyghom = table([
    { range: '1.x', supported: true },
    { range: '<1.0.0', supported: false },
  ]);

  it.each([
    ['1.4.2', 'supported'],
    ['v1.0.0', 'supported'],
    ['1.2', 'supported'],
    ['0.9.9', 'unsupported'],
    ['2.0.0', 'unknown'],
    ['not a version', 'unknown'],
  ])('%s is %s', (version, expected) => {
    expect(versionStatus(peyghom, version)).toBe(expected);
  });

  it('does not let a catch-all after "latest" call the newest release unsupported', () => {
    const payqi = table([
      { range: 'latest', supported: true },
      { range: '*', supported: false },
    ]);
    expect(versionStatus(payqi, '3.1.0')).toBe('unknown');
  });

  it('combines several versions: any supported wins, then any unsupported', () => {
    expect(combinedVersionStatus(peyghom, ['0.5.0', '1.1.0'])).toBe('supported');
    expect(combinedVersionStatus(peyghom, ['0.5.0', 'garbage'])).toBe('unsupported');
    expect(combinedVersionStatus(peyghom, [])).toBe('unknown');
  });
});
