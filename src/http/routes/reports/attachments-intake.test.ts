import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { PNG_1X1 } from '../../../../test/support/multipart.ts';
import { LIMITS, attachmentsHarness, dumpText, report } from './attachments.test-support.ts';

const CANARY = 'CANARY-9c41e7-use-after-free-in-gif-decoder';
const NAME_CANARY = 'CANARY-NAME-d5a2f0';

describe.each(databaseKinds)('report intake with attachments on %s', (kind) => {
  let h: Awaited<ReturnType<typeof attachmentsHarness>>;
  const nothingStored = async (before: { reports: number; files: number }) => {
    expect(await h.count('report')).toBe(before.reports);
    expect(await h.count('report_attachment')).toBe(before.files);
  };
  const counts = async () => ({ reports: await h.count('report'), files: await h.count('report_attachment') });

  beforeAll(async () => {
    h = await attachmentsHarness(kind);
  });
  afterAll(() => h?.close());

  it('takes a report and its files in one multipart request', async () => {
    const log = `SIGSEGV at 0x41414141\n${CANARY}\n`;
    const response = await h.submit([
      { filename: 'poc.png', data: PNG_1X1, type: 'image/png' },
      { filename: 'crash.log', data: log, type: 'text/plain' },
    ]);
    expect(response.statusCode, response.body).toBe(201);
    const receipt = response.json();
    const rows = await h.database.db.selectFrom('report_attachment').select(['report_id', 'content_type', 'size_bytes', 'uploaded_by']).where('report_id', '=', receipt.id).orderBy('size_bytes').execute();
    expect(rows).toEqual([
      { report_id: receipt.id, content_type: 'text/plain', size_bytes: Buffer.byteLength(log), uploaded_by: 'reporter' },
      { report_id: receipt.id, content_type: 'image/png', size_bytes: PNG_1X1.length, uploaded_by: 'reporter' },
    ]);
    const view = (await h.app.inject({ url: '/api/v1/portal/report', headers: h.as(receipt.followUpToken) })).json();
    expect(view.attachments.map((a: { filename: string; contentType: string; messageId: string | null }) => [a.filename, a.contentType, a.messageId])).toEqual([
      ['poc.png', 'image/png', null],
      ['crash.log', 'text/plain', null],
    ]);
    const audit = await h.database.db.selectFrom('audit_log').select('action').where('object_id', '=', receipt.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['report.received', 'report.attachment.added']);
  });

  it('validates the report field with the same paths as JSON intake, and stores nothing', async () => {
    const before = await counts();
    const missing = await h.submit([{ filename: 'a.txt', data: 'a' }], { report: { title: 'x', description: 'y' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.affected_versions', 'body.impact', 'body.steps_to_reproduce']);
    const wrongType = await h.submit([], { report: { ...report, title: 42 } });
    expect(wrongType.json().error.details).toMatchObject([{ path: 'body.title' }]);
    const notJson = await h.submit([], { report: '{"title":' });
    expect(notJson.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: 'body.report' }] });
    const form = await h.post('/api/v1/projects/leher/reports', {}, { other: 'x' }, []);
    expect(form.json().error.details).toMatchObject([{ path: 'body.other' }]);
    const noReport = await h.post('/api/v1/projects/leher/reports', {}, {}, [{ filename: 'a.txt', data: 'a' }]);
    expect(noReport.json().error.details).toMatchObject([{ path: 'body.report' }]);
    const wrongField = await h.submit([{ filename: 'a.txt', data: 'a', field: 'upload' }]);
    expect(wrongField.json().error.details).toMatchObject([{ path: 'body.upload' }]);
    await nothingStored(before);
  });

  it('refuses malformed multipart bodies with coded errors, and stores nothing', async () => {
    const before = await counts();
    const part = (name: string, value: string) => `--b0undary\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const send = (payload: string, contentType = 'multipart/form-data; boundary=b0undary') =>
      h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', headers: { 'content-type': contentType }, payload });
    const twice = await send(`${part('report', JSON.stringify(report))}${part('report', JSON.stringify(report))}--b0undary--\r\n`);
    expect(twice.json().error.details).toEqual([{ path: 'body.report', message: 'is given twice' }]);
    const truncated = await send(part('report', JSON.stringify(report)));
    expect(truncated.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: 'body' }] });
    const noBoundary = await send(`${part('report', '{}')}--b0undary--\r\n`, 'multipart/form-data');
    expect(noBoundary.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: 'body' }] });
    await nothingStored(before);
  });

  it('refuses a file over the per-file limit with 413, naming it, and stores nothing, not even the report', async () => {
    const before = await counts();
    const response = await h.submit([
      { filename: 'ok.txt', data: 'fine' },
      { filename: '../big.bin', data: Buffer.alloc(LIMITS.maxFileBytes + 1, 7) },
    ]);
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({ code: 'payload_too_large', details: [{ path: 'body.files[1]', message: expect.stringContaining('"big.bin"') }] });
    await nothingStored(before);
    const exactlyAtLimit = await h.submit([{ filename: 'edge.bin', data: Buffer.alloc(LIMITS.maxFileBytes, 7) }]);
    expect(exactlyAtLimit.statusCode).toBe(201);
  });

  it('refuses more files than a report may hold, and stores nothing', async () => {
    const before = await counts();
    const files = Array.from({ length: LIMITS.maxCount + 1 }, (_, i) => ({ filename: `f${i}.txt`, data: `file ${i}` }));
    const response = await h.submit(files);
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({ code: 'payload_too_large', details: [{ path: 'body.files' }] });
    await nothingStored(before);
  });

  it('refuses files that together pass the per-report limit', async () => {
    const before = await counts();
    const third = Math.ceil(LIMITS.maxReportBytes / 3) + 1;
    const response = await h.submit([1, 2, 3].map((i) => ({ filename: `part${i}.bin`, data: Buffer.alloc(third, i) })));
    expect(response.statusCode).toBe(413);
    expect(response.json().error.details).toMatchObject([{ path: 'body.files[2]', message: expect.stringContaining('"part3.bin"') }]);
    await nothingStored(before);
  });

  it('counts the files in the Idempotency-Key check', async () => {
    const key = { 'idempotency-key': `files-${kind}-0001` };
    const first = await h.submit([{ filename: 'poc.png', data: PNG_1X1 }], { headers: key });
    const retry = await h.submit([{ filename: 'poc.png', data: PNG_1X1 }], { headers: key });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    const otherFile = await h.submit([{ filename: 'poc.png', data: Buffer.concat([PNG_1X1, Buffer.from([0])]) }], { headers: key });
    expect(otherFile.statusCode).toBe(409);
    const noFile = await h.submit([], { headers: key });
    expect(noFile.statusCode).toBe(409);
  });

  it('still takes plain JSON reports', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: report });
    expect(response.statusCode).toBe(201);
  });

  it('leaves no plaintext of a file or its name in a database dump', async () => {
    const receipt = (await h.submit([{ filename: `${NAME_CANARY}.txt`, data: `secret exploit notes ${CANARY}` }])).json();
    const dump = dumpText([
      ...(await h.database.db.selectFrom('report_attachment').selectAll().execute()),
      ...(await h.database.db.selectFrom('audit_log').selectAll().execute()),
      ...(await h.database.db.selectFrom('outbox_event').selectAll().execute()),
    ]);
    expect(dump).toContain(receipt.id);
    for (const secret of [CANARY, NAME_CANARY, 'SIGSEGV', 'exploit notes']) expect(dump).not.toContain(secret);
  });
});
