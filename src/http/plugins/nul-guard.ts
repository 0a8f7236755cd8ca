import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { nulCharacterPaths } from '../../domain/text/nul-characters.ts';
import { EmbargoError } from '../../errors.ts';

/**
 * Refuses U+0000 anywhere in the path parameters, query or body of any
 * request, with the field's path, before a handler can send it to PostgreSQL
 * (which refuses NUL in text and jsonb). A `preHandler`: it runs after
 * validation, so multipart forms (turned into bodies by their routes) are
 * covered too, and after access control, so it tells unauthorised callers
 * nothing. Files are bytes and never checked.
 */
export const nulGuardPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preHandler', async (request) => {
    const paths = [...nulCharacterPaths(request.params, ['params']), ...nulCharacterPaths(request.query, ['querystring']), ...nulCharacterPaths(request.body, ['body'])];
    if (paths.length > 0) {
      throw new EmbargoError('validation_failed', 'text must not contain the NUL character (U+0000)', paths.map((path) => ({ path, message: 'contains the NUL character (U+0000)' })));
    }
  });
});
