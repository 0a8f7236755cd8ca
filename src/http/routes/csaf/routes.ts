import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  csafChangesCsv,
  csafDocumentFile,
  csafFeed,
  csafIndexTxt,
  csafProviderMetadata,
  csafPublicKey,
  type CsafResponse,
} from '../../../services/advisories/csaf-provider.service.ts';
import type { RouteOptions } from '../../app.ts';
import { sendCacheable } from '../advisories/cache.ts';
import { documentParams, feedParams, keyParams, tlpParams } from './schema.ts';

const tags = ['csaf'];
const config = { access: 'public' as const };

/**
 * The CSAF 2.0 trusted provider under /.well-known/csaf/ (CSAF 2.0 §7.1):
 * public, cacheable for five minutes with ETag and Last-Modified, no
 * redirects (§7.1.6). Only the `white` and `green` directories exist; every
 * other name, AMBER and RED included, answers 404. TLS (§7.1.3) is the
 * reverse proxy's job: the URLs inside the files come from the https public URL.
 */
export const csafRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx, publicUrl }) => {
  app.get('/.well-known/csaf/provider-metadata.json', { config, schema: { tags } }, async (request, reply) =>
    send(request, reply, await csafProviderMetadata(ctx, publicUrl)),
  );

  app.get('/.well-known/csaf/openpgp/:file', { config, schema: { tags, params: keyParams } }, async (request, reply) =>
    send(request, reply, await csafPublicKey(ctx, publicUrl, request.params.file)),
  );

  app.get('/.well-known/csaf/:tlp/index.txt', { config, schema: { tags, params: tlpParams } }, async (request, reply) =>
    send(request, reply, await csafIndexTxt(ctx, publicUrl, request.params.tlp)),
  );

  app.get('/.well-known/csaf/:tlp/changes.csv', { config, schema: { tags, params: tlpParams } }, async (request, reply) =>
    send(request, reply, await csafChangesCsv(ctx, publicUrl, request.params.tlp)),
  );

  app.get('/.well-known/csaf/:tlp/:feed', { config, schema: { tags, params: feedParams } }, async (request, reply) =>
    send(request, reply, await csafFeed(ctx, publicUrl, request.params.tlp, request.params.feed)),
  );

  app.get('/.well-known/csaf/:tlp/:year/:file', { config, schema: { tags, params: documentParams } }, async (request, reply) =>
    send(request, reply, await csafDocumentFile(ctx, publicUrl, request.params.tlp, request.params.year, request.params.file)),
  );
};

function send(request: Parameters<typeof sendCacheable>[0], reply: Parameters<typeof sendCacheable>[1], response: CsafResponse) {
  return sendCacheable(request, reply, response.body, response.contentType, response.lastModified);
}
