import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { MAX_NESTING_DEPTH, scanText } from '../../domain/text/nul-characters.ts';
import { EmbargoError } from '../../errors.ts';

/**
 * Refuses U+0000 anywhere in the path parameters, query or body of any
 * request, with the field's path, before a handler can send it to PostgreSQL
 * (which refuses NUL in text and jsonb), and bodies nested deeper than any
 * Embargo document. A `preHandler`: it runs after validation, so multipart
 * forms (turned into bodies by their routes) are covered too, and after
 * access control, so it tells unauthorised callers nothing. Files are bytes
 * and never checked.
 */
export const nulGuardPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preHandler', async (request) => {
    const scans = [scanText(request.params, ['params']), scanText(request.query, ['querystring']), scanText(request.body, ['body'])];
    const tooDeepAt = scans.find((scan) => scan.tooDeepAt !== undefined)?.tooDeepAt;
    if (tooDeepAt !== undefined) throw new EmbargoError('validation_failed', `the request is nested more than ${MAX_NESTING_DEPTH} levels deep`, [{ path: tooDeepAt, message: 'is nested too deeply' }]);
    const paths = scans.flatMap((scan) => scan.nulPaths);
    if (paths.length > 0) {
      throw new EmbargoError('validation_failed', 'text must not contain the NUL character (U+0000)', paths.map((path) => ({ path, message: 'contains the NUL character (U+0000)' })));
    }
  });
});
