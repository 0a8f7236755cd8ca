import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sanitiseFilename } from '../../domain/reports/attachment-name.ts';
import { EmbargoError, isEmbargoError } from '../../errors.ts';
import type { AttachmentLimits } from '../../services/context.ts';
import { fileTooLargeError, reportTooLargeError, tooManyFilesError, type IncomingFile } from '../../services/reports/attachments.service.ts';

/**
 * `multipart/form-data` for the routes that take files. Registered inside
 * those routes' own plugin (encapsulated), so no other route starts accepting
 * multipart bodies. Busboy enforces the limits while streaming: a file past
 * the per-file limit is cut off, not buffered; the per-request total is
 * checked as files arrive; the count and the number of parts are bounded.
 * Files are held in memory until sealed (never written to disk in clear).
 */
export async function registerMultipart(app: FastifyInstance, limits: AttachmentLimits, maxFieldBytes: number): Promise<void> {
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: limits.maxFileBytes, files: limits.maxCount, fields: 4, fieldSize: maxFieldBytes, fieldNameSize: 100, parts: limits.maxCount + 4, headerPairs: 20 },
  });
}

const uploads = new WeakMap<FastifyRequest, IncomingFile[]>();

/** The files of a multipart request, read by `formBody`; none for any other request. */
export function uploadedFiles(request: FastifyRequest): IncomingFile[] {
  return uploads.get(request) ?? [];
}

export interface FormBodyOptions {
  /** The text fields the form may carry; any other field is refused. */
  fields: readonly string[];
  /** The field name of file parts. */
  fileField: string;
  /** When false, a non-multipart body (JSON) passes through untouched. */
  multipartOnly: boolean;
  /** Turns the text fields into what the route's body schema validates; by default the fields object itself. */
  toBody?: (fields: Readonly<Record<string, unknown>>) => unknown;
}

/**
 * A `preValidation` hook: reads the whole form, keeps the files for the
 * handler and hands the text fields to the route's zod body schema, so
 * validation errors carry the same `body.<path>` as JSON requests.
 */
export function formBody(limits: AttachmentLimits, options: FormBodyOptions) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!request.isMultipart()) {
      if (options.multipartOnly) throw new EmbargoError('unsupported_media_type', 'send this as multipart/form-data');
      return;
    }
    const { fields, files } = await readForm(request, limits, options);
    uploads.set(request, files);
    request.body = options.toBody ? options.toBody(fields) : fields;
  };
}

async function readForm(request: FastifyRequest, limits: AttachmentLimits, options: FormBodyOptions) {
  const fields: Record<string, unknown> = {};
  const files: IncomingFile[] = [];
  let total = 0;
  try {
    for await (const part of request.parts()) {
      const path = `body.${part.fieldname}`;
      if (part.type === 'file') {
        if (part.fieldname !== options.fileField) throw refused(path, 'is not expected here');
        const file = await readFile(part);
        if (file === undefined) continue;
        total += file.data.length;
        if (total > limits.maxReportBytes) throw reportTooLargeError(`body.files[${files.length}]`, sanitiseFilename(file.filename), limits.maxReportBytes);
        files.push(file);
      } else {
        if (!options.fields.includes(part.fieldname)) throw refused(path, 'is not expected here');
        if (Object.hasOwn(fields, part.fieldname)) throw refused(path, 'is given twice');
        if (part.valueTruncated) throw new EmbargoError('payload_too_large', `the ${part.fieldname} field is too large`, [{ path, message: 'is too large' }]);
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    throw asEmbargoError(error, files.length, limits);
  }
  return { fields, files };
}

/** A file part's bytes; undefined for the empty part a browser sends for a file input left blank. */
async function readFile(part: MultipartFile): Promise<IncomingFile | undefined> {
  const data = await part.toBuffer();
  if (data.length === 0 && part.filename === '') return undefined;
  return { filename: part.filename, declaredType: part.mimetype, data };
}

function refused(path: string, message: string): EmbargoError {
  return new EmbargoError('validation_failed', `${path} ${message}`, [{ path, message }]);
}

/** Busboy's and the plugin's errors, as the coded errors clients branch on; nothing of their text reaches the client. */
function asEmbargoError(error: unknown, fileIndex: number, limits: AttachmentLimits): unknown {
  if (isEmbargoError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE': {
      const filename = (error as { part?: { filename?: unknown } }).part?.filename;
      return fileTooLargeError(`body.files[${fileIndex}]`, sanitiseFilename(typeof filename === 'string' ? filename : ''), limits.maxFileBytes);
    }
    case 'FST_FILES_LIMIT':
      return tooManyFilesError(limits.maxCount);
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new EmbargoError('payload_too_large', 'the form has too many parts', [{ path: 'body', message: 'has too many parts' }], { cause: error });
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new EmbargoError('validation_failed', 'a field sent as application/json is not valid JSON', [{ path: 'body', message: 'holds a field that is not valid JSON' }], { cause: error });
    case 'FST_PROTO_VIOLATION':
    case 'FST_MP_PREMATURE_CLOSE':
      return malformed(error);
    default:
      // Busboy reports a bad boundary or a truncated body as a plain Error; anything else is ours and stays a 500.
      return error instanceof Error && Object.getPrototypeOf(error) === Error.prototype ? malformed(error) : error;
  }
}

function malformed(cause: unknown): EmbargoError {
  return new EmbargoError('validation_failed', 'the body is not well-formed multipart/form-data', [{ path: 'body', message: 'is not well-formed multipart/form-data' }], { cause });
}
