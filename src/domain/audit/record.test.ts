import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { buildAuditRecord, contentOf, GENESIS_HASH, hashAuditContent } from './record.ts';

const position = { seq: 7, id: '6f1c1a6e-0b0c-4c57-9a39-0e6c1e3b0a11', prevHash: GENESIS_HASH };

describe('canonical JSON', () => {
  it('sorts keys at every depth by UTF-16 code units and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, { y: true, x: null }], c: 'é' }, B: 0, é: 2 })).toBe(
      '{"B":0,"a":{"c":"é","d":[3,1,{"x":null,"y":true}]},"b":1,"é":2}',
    );
  });

  it('refuses numbers JSON cannot represent', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/no JSON representation/);
  });
});

describe('audit record hash', () => {
  it('is SHA-256 over the scheme name, a line feed and the canonical JSON of every column but the hash', () => {
    const record = buildAuditRecord(
      {
        actor: { type: 'user', id: 'u1', label: 'Ada' },
        action: 'project.created',
        object: { type: 'project', id: 'widget' },
        outcome: 'success',
        ip: '192.0.2.1',
        userAgent: 'curl/8',
        details: { b: [1, 2], a: 'x' },
        at: new Date('2026-01-02T03:04:05.678Z'),
      },
      position,
    );
    const expectedText =
      'embargo-audit-v1\n' +
      '{"action":"project.created","actor_id":"u1","actor_label":"Ada","actor_type":"user","at":"2026-01-02T03:04:05.678Z",' +
      '"details":{"a":"x","b":[1,2]},"id":"6f1c1a6e-0b0c-4c57-9a39-0e6c1e3b0a11","ip":"192.0.2.1","object_id":"widget",' +
      `"object_type":"project","outcome":"success","prev_hash":"${GENESIS_HASH}","seq":7,"user_agent":"curl/8"}`;
    expect(record.hash).toBe(createHash('sha256').update(expectedText, 'utf8').digest('hex'));
    expect(hashAuditContent(contentOf(record))).toBe(record.hash);
  });

  it('stores absent optional fields as null and absent details as an empty object', () => {
    const record = buildAuditRecord({ actor: { type: 'system' }, action: 'audit.checkpoint', outcome: 'success', at: new Date(0) }, position);
    expect(record).toMatchObject({ actor_id: null, actor_label: null, object_type: null, object_id: null, ip: null, user_agent: null, details: {} });
  });

  it('changes with any field, the position or the previous hash', () => {
    const entry = { actor: { type: 'user' as const, id: 'u1' }, action: 'a.b', outcome: 'success' as const, at: new Date(0) };
    const base = buildAuditRecord(entry, position).hash;
    expect(buildAuditRecord({ ...entry, outcome: 'failure' }, position).hash).not.toBe(base);
    expect(buildAuditRecord(entry, { ...position, seq: 8 }).hash).not.toBe(base);
    expect(buildAuditRecord(entry, { ...position, prevHash: 'f'.repeat(64) }).hash).not.toBe(base);
  });

  it('reduces details to what jsonb will return, so the stored value still matches its hash', () => {
    const record = buildAuditRecord(
      { actor: { type: 'system' }, action: 'x', outcome: 'success', at: new Date(0), details: { when: new Date(1000), gone: undefined, inf: Infinity } },
      position,
    );
    expect(record.details).toEqual({ when: '1970-01-01T00:00:01.000Z', inf: null });
    const notAnObject = { toJSON: () => [1] };
    expect(() => buildAuditRecord({ actor: { type: 'system' }, action: 'x', outcome: 'success', at: new Date(0), details: notAnObject }, position)).toThrow(/JSON object/);
  });

  it('replaces what PostgreSQL cannot store (NUL, unpaired surrogates) in text and in details, keys included', () => {
    const record = buildAuditRecord(
      { actor: { type: 'user', label: 'a\u0000b' }, action: 'x', outcome: 'success', at: new Date(0), userAgent: 'ua\uD800', details: { 'k\u0000': '\uDC00v😀' } },
      position,
    );
    expect(record.actor_label).toBe('a\uFFFDb');
    expect(record.user_agent).toBe('ua\uFFFD');
    expect(record.details).toEqual({ 'k\uFFFD': '\uFFFDv😀' });
  });
});
