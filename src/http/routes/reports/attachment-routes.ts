import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attachmentDisposition } from '../../../domain/reports/attachment-name.ts';
import { deliveryContentType } from '../../../domain/reports/attachment-type.ts';
import { addReporterAttachments, addTeamAttachments, readOwnAttachment, readTeamAttachment } from '../../../services/reports/thread-attachments.service.ts';
import type { RouteOptions } from '../../app.ts';
import { formBody, registerMultipart, uploadedFiles } from '../../plugins/multipart.ts';
import { requestMeta } from '../../request-meta.ts';
import { reporterOf, signedIn } from '../../signed-in.ts';
import { MAX_TEXT, reportParams } from './schema.ts';

const bearer = [{ bearer: [] }];
/** Text fields of an upload form are short; the files have their own limits. */
const FORM_FIELD_BYTES = 256 * 1024;

const attachmentSummary = z.object({
  id: z.uuid(),
  filename: z.string(),
  contentType: z.string().describe('sniffed from the bytes'),
  declaredType: z.string().nullable().describe('what the uploader claimed, as a bare type/subtype'),
  size: z.number().int(),
  uploadedBy: z.enum(['reporter', 'team']),
  messageId: z.uuid().nullable(),
});
const postedResponse = z.object({ messageId: z.uuid().nullable(), attachments: z.array(attachmentSummary) });
const reporterUploadBody = z.object({ message: z.string().trim().min(1).max(MAX_TEXT).optional() }).strict();
const teamUploadBody = z.object({ message: z.string().trim().max(MAX_TEXT).optional(), visibility: z.enum(['reporter', 'internal']).default('internal') }).strict();
const attachmentParams = z.object({ attachmentId: z.uuid() });
const reportAttachmentParams = reportParams.extend(attachmentParams.shape);

const filesHelp = 'multipart/form-data: one or more file parts named `files`, plus the text fields below. Limits per file, per report and on the count are configured by the operator.';

/**
 * A download that no browser will render or run: always an attachment, a
 * type from a short safe list (else opaque bytes), no sniffing, a sandboxing
 * CSP in case it is opened anyway, and never cached.
 */
function sendAttachment(reply: FastifyReply, attachment: { filename: string; contentType: string; data: Buffer }) {
  return reply
    .header('content-type', deliveryContentType(attachment.contentType))
    .header('content-disposition', attachmentDisposition(attachment.filename))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'no-store')
    .send(attachment.data);
}

/** Files in the thread, for the reporter (follow-up token) and the team. Intake takes files on its own route. */
export const attachmentRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  await registerMultipart(app, ctx.attachments, FORM_FIELD_BYTES);
  const form = (fields: readonly string[]) => formBody(ctx.attachments, { fields, fileField: 'files', multipartOnly: true });

  app.post(
    '/api/v1/portal/attachments',
    {
      config: { access: 'portal.write' },
      preValidation: form(['message']),
      schema: { tags: ['reporter portal'], summary: 'Send files, optionally with a message', description: filesHelp, consumes: ['multipart/form-data'], security: bearer, body: reporterUploadBody, response: { 201: postedResponse } },
    },
    async (request, reply) => {
      const posted = await addReporterAttachments(ctx, reporterOf(request.principal), { message: request.body.message, files: uploadedFiles(request) }, requestMeta(request));
      return reply.status(201).send(posted);
    },
  );

  app.get('/api/v1/portal/attachments/:attachmentId', { config: { access: 'portal.read' }, schema: { tags: ['reporter portal'], summary: 'Download a file of your report', security: bearer, params: attachmentParams } }, async (request, reply) =>
    sendAttachment(reply, await readOwnAttachment(ctx, reporterOf(request.principal), request.params.attachmentId)),
  );

  app.post(
    '/api/v1/reports/:reportId/attachments',
    {
      config: { access: { action: 'report.write', reportParam: 'reportId' } },
      preValidation: form(['message', 'visibility']),
      schema: {
        tags: ['reports'],
        summary: 'Add files to the thread (internal unless visibility is "reporter")',
        description: filesHelp,
        consumes: ['multipart/form-data'],
        security: bearer,
        params: reportParams,
        body: teamUploadBody,
        response: { 201: postedResponse },
      },
    },
    async (request, reply) => {
      const posted = await addTeamAttachments(ctx, signedIn(request.principal), request.params.reportId, { ...request.body, files: uploadedFiles(request) }, requestMeta(request));
      return reply.status(201).send(posted);
    },
  );

  app.get(
    '/api/v1/reports/:reportId/attachments/:attachmentId',
    { config: { access: { action: 'report.read', reportParam: 'reportId' } }, schema: { tags: ['reports'], summary: 'Download a file of a report (audited)', security: bearer, params: reportAttachmentParams } },
    async (request, reply) => sendAttachment(reply, await readTeamAttachment(ctx, signedIn(request.principal), request.params.reportId, request.params.attachmentId, requestMeta(request))),
  );
};
