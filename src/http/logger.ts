import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { stdSerializers } from 'pino';

/**
 * Fields that may hold secrets in a log object, at the top level or one
 * level down: their values are replaced with [redacted] before the line is
 * written, so a careless `log.info(obj)` cannot leak a token or password.
 */
const secretFieldNames = new Set([
  'password', 'token', 'apiToken', 'secret', 'secrets', 'serverSecret', 'encryptionKey', 'previousEncryptionKeys', 'encryptionKeys', 'passphrase', 'signingKeyPassphrase',
  'authorization', 'cookie', 'set-cookie', 'x-api-key',
]);
const CENSOR = '[redacted]';

/** Keys whose serializer (below, or Fastify's for `res`) builds the logged value: censored after serializing, not before. */
const serializedKeys = new Set(['req', 'res', 'err']);

/**
 * One level down is censored here, by hand, instead of with pino's `redact`
 * wildcard paths (`*.password`): with those pino runs its redactor on every
 * top-level value of every line, cloning and walking each path again, which
 * cost about 8 % of the server's CPU under load, more than the rest of
 * logging. This is one pass over the keys with a set lookup, copying only an
 * object that holds a secret (the caller's object is never changed). Pino's
 * `redact` keeps the top-level names (see `loggerOptions`): without wildcards
 * it only looks at those keys, and it also covers child-logger bindings,
 * which no formatter sees.
 */
function censorSecrets<T>(value: T, levels: number): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, field] of Object.entries(value)) {
    const censored = secretFieldNames.has(key) ? CENSOR : levels > 0 && !serializedKeys.has(key) ? censorSecrets(field, levels - 1) : field;
    if (censored !== field) (copy ??= { ...(value as Record<string, unknown>) })[key] = censored;
  }
  return (copy ?? value) as T;
}

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: [...secretFieldNames].map((name) => (/^\w+$/.test(name) ? name : `["${name}"]`)), censor: CENSOR },
    formatters: { log: (object) => censorSecrets(object, 1) },
    serializers: {
      // Only these fields, never headers; query strings are dropped from logged URLs: they are the usual place a secret ends up by mistake.
      req: (req: { method: string; url: string; id: string; ip?: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0], ip: req.ip }),
      // An error's own properties are logged with it: one level down from the top, like any other logged object.
      err: (error: Error) => censorSecrets(stdSerializers.err(error), 0),
    },
  };
}

/**
 * One line per request instead of Fastify's two ("incoming request" and
 * "request completed"): the completion line carries what the first one did
 * (request id, method, path without query, client address) plus the status
 * and time, so the record of who asked what is kept at half the logging cost.
 * A request the client abandons before any answer never completes: the app
 * logs those from an `onRequestAbort` hook (`logAbandonedRequests`).
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** The line a request the client abandoned before any answer would otherwise not get (see `OneLinePerRequest`). */
export function logAbandonedRequests(app: FastifyInstance): void {
  app.addHook('onRequestAbort', async (request) => request.log.info({ req: request }, 'request aborted'));
}
