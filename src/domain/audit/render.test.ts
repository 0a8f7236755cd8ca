import { describe, expect, it } from 'vitest';
import { buildAuditRecord, GENESIS_HASH } from './record.ts';
import { auditJsonLine, escapeForLine, renderAuditLine } from './render.ts';

const hostile = 'Mallory\n#2 2026-01-01T00:00:00.000Z auth.login.succeeded success by user:admin "Admin"\r\u001b[2K\u2028\u202e';
const record = buildAuditRecord(
  {
    actor: { type: 'user', id: 'u1', label: hostile },
    action: 'auth.login.failed',
    object: { type: 'user', id: 'u1' },
    outcome: 'failure',
    ip: '192.0.2.1',
    userAgent: 'agent\u0085"quoted"\\n',
    at: new Date('2026-01-01T00:00:00Z'),
  },
  { seq: 1, id: '00000000-0000-4000-8000-000000000001', prevHash: GENESIS_HASH },
);

describe('rendering audit entries for people', () => {
  it('keeps an entry on one line whatever its label or user agent contains', () => {
    const line = renderAuditLine(record);
    expect(line.split(/\r\n|\r|\n|\u0085|\u2028|\u2029/)).toHaveLength(1);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
    expect(line).toContain('"Mallory\\n#2 2026-01-01T00:00:00.000Z auth.login.succeeded success by user:admin \\"Admin\\"\\r\\u001b[2K\\u2028\\u202e"');
  });

  it('escapes backslashes and quotes, so an escape sequence typed by the attacker stays distinguishable', () => {
    expect(escapeForLine('a\\nb')).toBe('a\\\\nb');
    expect(escapeForLine('a\nb')).toBe('a\\nb');
    expect(renderAuditLine(record)).toContain('"agent\\u0085\\"quoted\\"\\\\n"');
  });

  it('renders absent values as a dash', () => {
    const bare = buildAuditRecord({ actor: { type: 'system' }, action: 'x', outcome: 'success', at: new Date(0) }, { seq: 2, id: 'i', prevHash: GENESIS_HASH });
    expect(renderAuditLine(bare)).toBe('#2 1970-01-01T00:00:00.000Z x success by system:- - on - from - -');
  });
});

describe('JSON lines export', () => {
  it('writes one line per entry that parses back to the same record', () => {
    const line = auditJsonLine(record);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1).split(/\r\n|\r|\n|\u0085|\u2028|\u2029/)).toHaveLength(1);
    expect(JSON.parse(line)).toEqual(record);
  });
});
