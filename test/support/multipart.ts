/** A file part of a test form; `field` defaults to `files`, `type` to what a browser sends for unknown files. */
export interface TestFile {
  filename: string;
  data: Buffer | string;
  type?: string;
  field?: string;
}

/** 1×1 transparent PNG: real magic bytes for sniffing tests. */
export const PNG_1X1 = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f0a1ba0000000049454e44ae426082', 'hex');

/**
 * Serialises a multipart/form-data body the way a client would (Node's own
 * FormData encoder, boundary and part headers included), for `app.inject`.
 */
export async function multipartBody(fields: Record<string, string>, files: readonly TestFile[] = []): Promise<{ payload: Buffer; headers: { 'content-type': string } }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files) form.append(file.field ?? 'files', new Blob([file.data], { type: file.type ?? 'application/octet-stream' }), file.filename);
  const request = new Request('http://embargo.test/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type') ?? '' } };
}
