import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer/lib/mailer';
import { decrypt, generateKey, readMessage, readPrivateKey } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../test/support/accounts.ts';
import { testContext } from '../../test/support/app.ts';
import { databaseKinds } from '../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../test/support/policies.ts';
import { startTestSmtpServer, type ReceivedMail } from '../../test/support/smtp.ts';
import { encryptToPublicKey } from '../crypto/openpgp-encrypt.ts';
import { startEmailIntake } from '../jobs/email-intake-listener.ts';
import { deliverDueEmails } from '../jobs/outbox-dispatcher.ts';
import type { RunningIntakeServer } from './intake-server.ts';
import { createSmtpMailer, type Mailer } from './smtp-mailer.ts';

const DOMAIN = 'cvd.example.org';
const INTAKE = `security+payqi@${DOMAIN}`;
const CANARY = 'CANARY-4e2f-auth-bypass-in-webhook-signature';
const MAX_BYTES = 256 * 1024;

/** The armoured message in a mail, decrypted with the recipient's private key, as the MIME entity PGP/MIME carries. */
async function decryptMail(mail: ReceivedMail, armoredPrivateKey: string) {
  const armoredMessage = mail.raw.match(/-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/)?.[0];
  if (!armoredMessage) throw new Error(`no PGP message in:\n${mail.raw}`);
  const { data } = await decrypt({ message: await readMessage({ armoredMessage }), decryptionKeys: await readPrivateKey({ armoredKey: armoredPrivateKey }), format: 'binary' });
  return simpleParser(Buffer.from(data));
}

/** A reporter's mail client, speaking plain SMTP to the intake on 127.0.0.1. */
const connect = (port: number) => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });

function pgpMimeMail(armored: string, headers: { from: string; to: string; messageId: string }): string {
  return [
    `From: ${headers.from}`,
    `To: ${headers.to}`,
    'Subject: ...',
    `Message-ID: ${headers.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="outer"',
    '',
    'This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)',
    '--outer',
    'Content-Type: application/pgp-encrypted',
    'Content-Description: PGP/MIME version identification',
    '',
    'Version: 1',
    '',
    '--outer',
    'Content-Type: application/octet-stream; name="encrypted.asc"',
    'Content-Disposition: inline; filename="encrypted.asc"',
    '',
    armored.trim(),
    '--outer--',
    '',
  ].join('\r\n');
}

describe.each(databaseKinds)('email intake over SMTP on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let outgoing: Awaited<ReturnType<typeof startTestSmtpServer>>;
  let mailer: Mailer;
  let intake: RunningIntakeServer;
  let sender: ReturnType<typeof connect>;
  let projectKey: string;
  let ack: { replyTo: string; followUpToken: string; humanId: string };
  const ctx = () => testContext(h.database);

  const send = (message: SendMailOptions) => sender.sendMail({ from: 'Ada Researcher <ada@researcher.example>', to: INTAKE, ...message });
  const refusalCode = (message: SendMailOptions) => send(message).then(() => 'accepted', (error: { responseCode?: number }) => error.responseCode);
  const newestReport = () => h.database.db.selectFrom('report').select(['id', 'human_id']).orderBy('created_at', 'desc').orderBy('human_id', 'desc').executeTakeFirstOrThrow();
  const teamRead = async (id: string) => (await h.app.inject({ url: `/api/v1/reports/${id}`, headers: h.ownerAuth })).json();
  const countReports = async () => (await h.database.db.selectFrom('report').select('id').execute()).length;
  const mailTo = async (address: string, predicate: (mail: ReceivedMail) => boolean = () => true) => {
    await deliverDueEmails(ctx(), mailer);
    return outgoing.waitFor((mail) => mail.to.includes(address) && predicate(mail), 5_000);
  };

  beforeAll(async () => {
    h = await accountsHarness(kind, { start: new Date() });
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn('payqi')).text } });
    // leher keeps report titles in clear, where PostgreSQL itself sees (and refuses) a NUL.
    const leher = (await examplePolicyExpiringIn('leher')).text.replace('report_form:', 'report_form:\n  title_in_clear: true');
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: leher } });
    projectKey = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/intake-key', headers: h.ownerAuth })).json().publicKey;
    outgoing = await startTestSmtpServer();
    mailer = createSmtpMailer({ smtpUrl: outgoing.url, from: 'embargo@embargo.test', domain: 'embargo.test' });
    intake = (await startEmailIntake(ctx(), { intakeListen: { host: '127.0.0.1', port: 0 }, intakeDomain: DOMAIN, intakeMaxBytes: MAX_BYTES }, h.app.log))!;
    sender = connect(intake.port);
  });
  afterAll(async () => {
    sender?.close();
    await intake?.close();
    mailer?.close();
    await outgoing?.close();
    await h?.close();
  });

  it('turns a plain mail into a report and acknowledges it with the follow-up link and a reply address', async () => {
    await send({ subject: '  Reflected XSS\n in checkout  ', text: `The search box reflects input. ${CANARY}`, messageId: `<plain-${kind}@researcher.example>` });
    const created = await newestReport();
    const report = await teamRead(created.id);
    expect(report).toMatchObject({ title: 'Reflected XSS in checkout', source: 'email', encryptedToTeam: false, contact: { email: 'ada@researcher.example' } });
    expect(report.content.description).toBe(`The search box reflects input. ${CANARY}`);

    const mail = await mailTo('ada@researcher.example', (m) => m.raw.includes(created.human_id));
    const parsed = await simpleParser(mail.raw);
    const replyTo = parsed.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(new RegExp(`^security\\+payqi\\.r\\.[a-z2-7]{26}@${DOMAIN.replace(/\./g, '\\.')}$`));
    expect(parsed.subject).toBe(`Report received: ${created.human_id}`);
    const followUpToken = parsed.text?.match(/https:\/\/embargo\.test\/portal#token=(emb_rep_[A-Za-z0-9_-]{43})/)?.[1] ?? '';
    const portal = await h.app.inject({ url: '/api/v1/portal/report', headers: { authorization: `Bearer ${followUpToken}` } });
    expect(portal.json().humanId).toBe(created.human_id);
    const stored = await h.database.db.selectFrom('report_reply_address').select('token_hash').execute();
    expect(JSON.stringify(stored)).not.toContain(replyTo.split('.r.')[1]!.split('@')[0]!);
    ack = { replyTo, followUpToken, humanId: created.human_id };
  });

  it('takes a retried message (same Message-ID) once, without a second acknowledgement', async () => {
    const before = await countReports();
    await send({ subject: '  Reflected XSS\n in checkout  ', text: `The search box reflects input. ${CANARY}`, messageId: `<plain-${kind}@researcher.example>` });
    expect(await countReports()).toBe(before);
    await deliverDueEmails(ctx(), mailer);
    expect(outgoing.received.filter((m) => m.raw.includes(`Report received: ${ack.humanId}`))).toHaveLength(1);
  });

  it('decrypts an inline-PGP mail encrypted to the project key', async () => {
    const armored = await encryptToPublicKey(projectKey, `Inline secret: ${CANARY}`, new Date());
    await send({ subject: 'Encrypted report', text: `Hello team,\n\n${armored}` });
    const report = await teamRead((await newestReport()).id);
    expect(report.content.description).toBe(`Hello team,\n\nInline secret: ${CANARY}`);
    expect(report.encryptedToTeam).toBe(false);
  });

  it('decrypts a PGP/MIME mail, with its protected subject and attachment', async () => {
    const inner = [
      'Content-Type: multipart/mixed; boundary="inner"; protected-headers="v1"',
      'Subject: Signature bypass in webhook verification',
      '',
      '--inner',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `PGP/MIME body: ${CANARY}`,
      '--inner',
      'Content-Type: text/x-python; name="poc.py"',
      'Content-Disposition: attachment; filename="poc.py"',
      '',
      'print("proof of concept")',
      '--inner--',
      '',
    ].join('\r\n');
    const armored = await encryptToPublicKey(projectKey, new TextEncoder().encode(inner), new Date());
    await send({ envelope: { from: 'ada@researcher.example', to: INTAKE }, raw: pgpMimeMail(armored, { from: 'ada@researcher.example', to: INTAKE, messageId: `<pgpmime-${kind}@researcher.example>` }) });
    const report = await teamRead((await newestReport()).id);
    expect(report.title).toBe('Signature bypass in webhook verification');
    expect(report.content.description.trim()).toBe(`PGP/MIME body: ${CANARY}`);
    expect(report.attachments.map((a: { filename: string }) => a.filename)).toEqual(['poc.py']);
  });

  it('turns control characters in the subject into spaces and drops bidi overrides: the clear-text title never fails the write', async () => {
    // An encoded word carries any byte into the decoded subject, NUL (which PostgreSQL refuses in text) included.
    const subject = 'Heap\u0000overflow\u0007 in \u202Eparser\u001B[31m \u{1F469}\u200D\u{1F4BB}';
    const raw = [
      'From: ada@researcher.example',
      `To: security+leher@${DOMAIN}`,
      `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
      `Message-ID: <control-${kind}@researcher.example>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The parser overflows its heap buffer.',
      '',
    ].join('\r\n');
    await send({ envelope: { from: 'ada@researcher.example', to: `security+leher@${DOMAIN}` }, raw });
    const report = await teamRead((await newestReport()).id);
    expect(report.title).toBe('Heap overflow in parser [31m \u{1F469}\u200D\u{1F4BB}');
    expect(report.content.description).toBe('The parser overflows its heap buffer.');
  });

  it('adds a reply to the acknowledgement to the thread, not as a new report, without the quoted secrets', async () => {
    const before = await countReports();
    await send({ to: ack.replyTo, subject: `Re: Report received: ${ack.humanId}`, text: `Also affects the admin search.\n\n> https://embargo.test/portal#token=${ack.followUpToken}\n> reply to ${ack.replyTo}` });
    expect(await countReports()).toBe(before);
    const thread = (await h.app.inject({ url: '/api/v1/portal/report', headers: { authorization: `Bearer ${ack.followUpToken}` } })).json().messages;
    expect(thread).toHaveLength(1);
    expect(thread[0].body).toContain('Also affects the admin search.');
    expect(thread[0].body).not.toContain(ack.followUpToken);
    expect(thread[0].body).not.toContain(ack.replyTo);
  });

  it('refuses unknown recipients at RCPT time, forged reply addresses included', async () => {
    const token = ack.replyTo.split('.r.')[1]!.split('@')[0]!;
    for (const to of [`security+no-such-project@${DOMAIN}`, `security+payqi.r.${'a'.repeat(26)}@${DOMAIN}`, `security+leher.r.${token}@${DOMAIN}`, 'security+payqi@elsewhere.example']) {
      expect(await refusalCode({ to, text: 'x' }), to).toBe(550);
    }
    // One report per SMTP transaction: a second recipient is deferred (452), so the sending server delivers it separately.
    const both = await send({ to: [INTAKE, `security+leher@${DOMAIN}`], subject: 'Both projects', text: 'Shared library bug' });
    expect([both.accepted, both.rejected]).toEqual([[INTAKE], [`security+leher@${DOMAIN}`]]);
  });

  it('refuses an oversized mail and stores nothing', async () => {
    const before = await countReports();
    expect(await refusalCode({ subject: 'big', text: 'x'.repeat(MAX_BYTES + 1024) })).toBe(552);
    expect(await refusalCode({ subject: 'empty', text: '   ' })).toBe(550);
    expect(await countReports()).toBe(before);
  });

  it('keeps a mail it cannot decrypt as received, flagged encrypted-to-team', async () => {
    const armored = await encryptToPublicKey(projectKey, CANARY, new Date());
    await send({ to: `security+leher@${DOMAIN}`, subject: 'For leher', text: armored });
    const report = await teamRead((await newestReport()).id);
    expect(report.content.description).toBe(armored.trim());
    expect(report.encryptedToTeam).toBe(true);
  });

  it('encrypts the acknowledgement to a public key attached to the mail, and answers no robot', async () => {
    const reporter = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'dave@researcher.example' }], format: 'armored' });
    await send({ from: 'dave@researcher.example', subject: 'With my key', text: 'Report text', attachments: [{ filename: 'dave.asc', content: reporter.publicKey, contentType: 'application/pgp-keys' }] });
    const { human_id: humanId } = await newestReport();
    const mail = await mailTo('dave@researcher.example');
    expect(mail.raw).toMatch(/Content-Type: multipart\/encrypted; protocol="application\/pgp-encrypted"/);
    expect(mail.raw).not.toContain('#token=');
    expect((await decryptMail(mail, reporter.privateKey)).text).toContain(`We received your report ${humanId}`);

    await send({ from: 'robot@researcher.example', subject: 'Out of office', text: 'Away', headers: { 'Auto-Submitted': 'auto-replied' } });
    await deliverDueEmails(ctx(), mailer);
    expect(outgoing.received.some((m) => m.to.includes('robot@researcher.example'))).toBe(false);
  });

  it('mails a team message to a reporter with a key encrypted, and to one without a key without content', async () => {
    const reporter = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'bob@researcher.example' }], format: 'armored' });
    const report = { title: 'API report', description: 'd', steps_to_reproduce: 's', impact: 'i' };
    const withKey = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: { ...report, contact: { email: 'bob@researcher.example' }, reporter_public_key: reporter.publicKey } })).json();
    const withoutKey = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: { ...report, contact: { email: 'carol@researcher.example' } } })).json();
    for (const { id } of [withKey, withoutKey]) await h.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/messages`, headers: h.ownerAuth, payload: { body: `We reproduced it. ${CANARY}` } });
    await h.app.inject({ method: 'POST', url: `/api/v1/reports/${withoutKey.id}/messages`, headers: h.ownerAuth, payload: { body: `internal ${CANARY}`, visibility: 'internal' } });

    const encrypted = await mailTo('bob@researcher.example');
    expect(encrypted.raw).not.toContain(CANARY);
    expect((await decryptMail(encrypted, reporter.privateKey)).text).toContain(`We reproduced it. ${CANARY}`);

    const plain = await mailTo('carol@researcher.example');
    expect(plain.raw).not.toContain(CANARY);
    expect(plain.raw).not.toContain(withoutKey.followUpToken);
    expect(plain.text).toContain(`There is a new message in your report ${withoutKey.humanId}`);
    expect(plain.text).toContain('https://embargo.test/portal');
    expect(outgoing.received.filter((m) => m.to.includes('carol@researcher.example'))).toHaveLength(1);
  });
});
