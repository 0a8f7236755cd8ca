import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { PNG_1X1 } from '../../../../test/support/multipart.ts';
import { EnvelopeError } from '../../../crypto/envelope.ts';
import { readAttachment } from '../../../services/reports/attachments.service.ts';
import { LIMITS, attachmentsHarness } from './attachments.test-support.ts';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>';
const HTML = '<!doctype html><script>fetch("/api/v1/portal/report")</script>';

describe.each(databaseKinds)('attachments in the report thread on %s', (kind) => {
  let h: Awaited<ReturnType<typeof attachmentsHarness>>;
  let first: { id: string; followUpToken: string };
  let second: { id: string; followUpToken: string };
  let png: { id: string };
  type Summary = { id: string; filename: string; contentType: string; declaredType: string | null; messageId: string | null };

  const reporterUpload = (token: string, files: Parameters<typeof h.post>[3], fields: Record<string, string> = {}) => h.post('/api/v1/portal/attachments', h.as(token), fields, files);
  const teamUpload = (reportId: string, files: Parameters<typeof h.post>[3], fields: Record<string, string> = {}) => h.post(`/api/v1/reports/${reportId}/attachments`, h.team, fields, files);
  const ownDownload = (token: string, id: string) => h.app.inject({ url: `/api/v1/portal/attachments/${id}`, headers: h.as(token) });
  const teamDownload = (reportId: string, id: string) => h.app.inject({ url: `/api/v1/reports/${reportId}/attachments/${id}`, headers: h.team });
  const portalView = async (token: string) => (await h.app.inject({ url: '/api/v1/portal/report', headers: h.as(token) })).json();

  beforeAll(async () => {
    h = await attachmentsHarness(kind);
    first = (await h.submit([{ filename: 'poc.png', data: PNG_1X1, type: 'text/html' }])).json();
    second = (await h.submit([])).json();
    png = (await portalView(first.followUpToken)).attachments[0];
  });
  afterAll(() => h?.close());

  it('sniffs the type from the bytes, whatever was declared', async () => {
    expect((await portalView(first.followUpToken)).attachments).toMatchObject([{ filename: 'poc.png', contentType: 'image/png', declaredType: 'text/html', uploadedBy: 'reporter' }]);
  });

  it('lets the reporter download their own file, as an attachment that is never sniffed, framed or cached', async () => {
    const response = await ownDownload(first.followUpToken, png.id);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(PNG_1X1)).toBe(true);
    expect(response.headers).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': `attachment; filename="poc.png"; filename*=UTF-8''poc.png`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'no-store',
    });
  });

  it("never gives one report's files to another report's token", async () => {
    expect((await ownDownload(second.followUpToken, png.id)).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/api/v1/reports/${first.id}/attachments/${png.id}`, headers: h.as(second.followUpToken) })).statusCode).toBe(403);
    expect((await teamDownload(second.id, png.id)).statusCode).toBe(404);
    expect((await portalView(second.followUpToken)).attachments).toEqual([]);
  });

  it('lets the team download, and audits each download', async () => {
    const response = await teamDownload(first.id, png.id);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(PNG_1X1)).toBe(true);
    const audit = await h.database.db.selectFrom('audit_log').select(['action', 'object_id', 'details']).where('action', '=', 'report.attachment.read').execute();
    expect(audit).toEqual([{ action: 'report.attachment.read', object_id: first.id, details: { attachmentId: png.id } }]);
  });

  it('serves HTML, SVG and other renderable files as opaque bytes', async () => {
    const posted = await reporterUpload(second.followUpToken, [
      { filename: 'xss.svg', data: SVG, type: 'image/png' },
      { filename: 'page.html', data: HTML, type: 'text/plain' },
    ]);
    expect(posted.statusCode, posted.body).toBe(201);
    const [svg, html] = posted.json().attachments as Summary[];
    expect([svg?.contentType, html?.contentType]).toEqual(['image/svg+xml', 'text/html']);
    for (const file of [svg!, html!]) {
      const response = await ownDownload(second.followUpToken, file.id);
      expect(response.headers['content-type']).toBe('application/octet-stream');
      expect(response.headers['content-disposition']).toMatch(/^attachment;/);
    }
  });

  it('sanitises filenames and sends the exact name in filename*', async () => {
    const fresh = (await h.submit([])).json();
    const names = ['../../etc/passwd', 'evil.php%00.png', 'invoice\u202Egnp.exe', 'résumé 報告.txt'];
    const posted = await reporterUpload(fresh.followUpToken, names.map((filename) => ({ filename, data: 'x' })));
    const stored = (posted.json().attachments as Summary[]).map((a) => a.filename);
    expect(stored).toEqual(['passwd', 'evil_php_00.png', 'invoicegnp.exe', 'résumé 報告.txt']);
    const unicode = await ownDownload(fresh.followUpToken, (posted.json().attachments as Summary[])[3]!.id);
    expect(unicode.headers['content-disposition']).toBe(`attachment; filename="resume __.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%E5%A0%B1%E5%91%8A.txt`);
    expect(unicode.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('counts what the report already holds against its limits', async () => {
    const fresh = (await h.submit(Array.from({ length: LIMITS.maxCount - 1 }, (_, i) => ({ filename: `f${i}.txt`, data: 'x' })))).json();
    const twoMore = await reporterUpload(fresh.followUpToken, [{ filename: 'a.txt', data: 'x' }, { filename: 'b.txt', data: 'x' }]);
    expect(twoMore.statusCode).toBe(413);
    expect(twoMore.json().error.message).toBe(`a report can hold at most ${LIMITS.maxCount} attachments; it has ${LIMITS.maxCount - 1} and this adds 2`);
    expect((await portalView(fresh.followUpToken)).attachments).toHaveLength(LIMITS.maxCount - 1);
    expect((await reporterUpload(fresh.followUpToken, [{ filename: 'a.txt', data: 'x' }])).statusCode).toBe(201);
  });

  it('attaches files to a reporter message when one is given', async () => {
    const posted = await reporterUpload(first.followUpToken, [{ filename: 'trace.txt', data: 'stack trace' }], { message: 'Here is the trace.' });
    expect(posted.statusCode).toBe(201);
    const view = await portalView(first.followUpToken);
    const message = view.messages.find((m: { body: string }) => m.body === 'Here is the trace.');
    expect(message.attachments).toMatchObject([{ filename: 'trace.txt', messageId: posted.json().messageId }]);
  });

  it('keeps team files internal unless shared with the reporter', async () => {
    const internal = (await teamUpload(first.id, [{ filename: 'analysis.txt', data: 'root cause' }])).json();
    const shared = (await teamUpload(first.id, [{ filename: 'patch.diff', data: '--- a\n+++ b\n' }], { message: 'Does this fix it?', visibility: 'reporter' })).json();
    const [internalFile, sharedFile] = [internal.attachments[0] as Summary, shared.attachments[0] as Summary];
    const reporterFiles = (await portalView(first.followUpToken)).attachments.map((a: Summary) => a.id);
    expect(reporterFiles).toContain(sharedFile.id);
    expect(reporterFiles).not.toContain(internalFile.id);
    expect((await ownDownload(first.followUpToken, internalFile.id)).statusCode).toBe(404);
    expect((await ownDownload(first.followUpToken, sharedFile.id)).statusCode).toBe(200);
    const teamView = (await h.app.inject({ url: `/api/v1/reports/${first.id}`, headers: h.team })).json();
    expect(teamView.attachments.map((a: Summary) => a.id)).toEqual(expect.arrayContaining([internalFile.id, sharedFile.id]));
  });

  it('refuses uploads that are not multipart, or carry no file', async () => {
    const json = await h.app.inject({ method: 'POST', url: '/api/v1/portal/attachments', headers: h.as(first.followUpToken), payload: { message: 'x' } });
    expect(json.statusCode).toBe(415);
    const empty = await reporterUpload(first.followUpToken, [], { message: 'no files' });
    expect(empty.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: 'body.files' }] });
  });

  it('does not open a sealed file copied into another row', async () => {
    const fresh = (await h.submit([])).json();
    const [victim, other] = (await teamUpload(fresh.id, [{ filename: 'a.bin', data: 'A'.repeat(100) }, { filename: 'b.bin', data: 'B'.repeat(100) }])).json().attachments as Summary[];
    const source = await h.database.db.selectFrom('report_attachment').select('content_sealed').where('id', '=', victim!.id).executeTakeFirstOrThrow();
    await h.database.db.updateTable('report_attachment').set({ content_sealed: Buffer.from(source.content_sealed) }).where('id', '=', other!.id).execute();
    await expect(readAttachment(testContext(h.database), fresh.id, other!.id, { reporterView: false })).rejects.toSatisfy((e) => e instanceof EnvelopeError && e.reason === 'authentication_failed');
    const response = await teamDownload(fresh.id, other!.id);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('A'.repeat(10));
  });
});
