import { generateKey, readKey } from 'openpgp';
import { describe, expect, it } from 'vitest';
import { isMimeEntity } from './mime-entity.ts';
import { parseInboundMail } from './parse-inbound.ts';

const mail = (headers: string[], body = 'Body text') => Buffer.from([...headers, 'Subject: Hi', '', body, ''].join('\r\n'));

describe('parseInboundMail', () => {
  it('takes an Autocrypt key only for the sender’s own address', async () => {
    const key = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'ada@researcher.example' }], format: 'object' });
    const keydata = Buffer.from(key.publicKey.write()).toString('base64').replace(/.{1,76}/g, '$& ').trim();
    const autocrypt = (addr: string) => `Autocrypt: addr=${addr}; prefer-encrypt=mutual; keydata=${keydata.replace(/ /g, '\r\n ')}`;
    const offered = (await parseInboundMail(mail(['From: Ada <ada@researcher.example>', autocrypt('ada@researcher.example')]))).offeredPublicKey;
    expect((await readKey({ armoredKey: offered! })).getFingerprint()).toBe(key.publicKey.getFingerprint());
    expect((await parseInboundMail(mail(['From: eve@attacker.example', autocrypt('ada@researcher.example')]))).offeredPublicKey).toBeUndefined();
  });

  it('recognises mail sent by programs (RFC 3834) so it is never answered', async () => {
    expect((await parseInboundMail(mail(['From: a@b.example', 'Auto-Submitted: auto-replied']))).autoSubmitted).toBe(true);
    expect((await parseInboundMail(mail(['From: a@b.example', 'Precedence: bulk']))).autoSubmitted).toBe(true);
    expect((await parseInboundMail(mail(['From: a@b.example', 'Auto-Submitted: no']))).autoSubmitted).toBe(false);
  });
});

describe('isMimeEntity', () => {
  it('tells a PGP/MIME payload from plain text that happens to contain a colon', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(isMimeEntity(bytes('Content-Type: text/plain; charset=utf-8\r\n\r\nHello'))).toBe(true);
    expect(isMimeEntity(bytes('Content-Type: multipart/mixed;\r\n boundary="x"\r\nSubject: s\r\n\r\n--x'))).toBe(true);
    expect(isMimeEntity(bytes('Note: the bug is here\n\nDetails follow'))).toBe(false);
    expect(isMimeEntity(bytes('Plain text without headers'))).toBe(false);
  });
});
