import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { errorCodes, isEmbargoError, type ErrorCode, type ErrorDetail } from '../../errors.ts';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: ErrorDetail[] };
}

function send(reply: FastifyReply, code: ErrorCode, message: string, details: ErrorDetail[] = []): FastifyReply {
  const body: ErrorBody = { error: { code, message, details } };
  return reply.status(errorCodes[code]).type('application/json; charset=utf-8').send(body);
}

/** `/email` in request part `body` becomes `body.email`; `/items/0/name` becomes `body.items[0].name`. */
function fieldPath(part: string | undefined, pointer: string): string {
  const segments = pointer.split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = part ?? 'body';
  for (const segment of segments) path += /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`;
  return path;
}

/** Fastify's own client errors, by their stable codes. */
const fastifyClientErrors: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 'request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'unsupported Content-Type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['validation_failed', 'Content-Length does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['validation_failed', 'the JSON body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['validation_failed', 'the body is not valid JSON'],
};

/** Seconds a client is asked to wait when the database is unreachable: a restart or failover takes about this long. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

const connectionErrnos = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** node-postgres reports a dropped or never-made connection with these messages and no code. */
const connectionMessages = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly)/;

type ErrorFields = { code?: unknown; message?: unknown };

/** Whether `test` holds for `error` or anything it wraps: causes and aggregated errors, as drivers and services wrap them. */
function anyInChain(error: unknown, test: (fields: ErrorFields) => boolean, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  if (test(error as ErrorFields)) return true;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (Array.isArray(errors) && errors.some((inner) => anyInChain(inner, test, depth + 1))) return true;
  return anyInChain(cause, test, depth + 1);
}

/**
 * The database cannot serve right now, as opposed to refusing this request:
 * a socket error, SQLSTATE class 08 (connection exception), 57P01–57P03
 * (shutting down, crashed, not accepting connections yet), class 53
 * (disk full, out of memory, too many connections), 25006 (a read-only
 * standby after failover) or 58030 (I/O error in the data directory).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return anyInChain(
    error,
    ({ code, message }) =>
      (typeof code === 'string' && (connectionErrnos.has(code) || /^(08|53)...$/.test(code) || /^57P0[123]$/.test(code) || code === '25006' || code === '58030')) ||
      (typeof message === 'string' && connectionMessages.test(message)),
  );
}

/** SQLSTATE 53100 (disk full) or 58030 (I/O error, such as a read-only file system): the operator has to act, not just wait. */
const isOutOfStorage = (error: unknown) => anyInChain(error, ({ code }) => code === '53100' || code === '58030');

/**
 * The one place where errors become HTTP responses. Services throw coded
 * EmbargoErrors; this maps them. Nothing internal (stack, SQL, library
 * message) reaches a client: unexpected errors are logged with the request id
 * and answered with a generic `internal_error`.
 */
export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Checked first: a service may have wrapped the driver's error. A coded 503 the client can retry, never a hang or a stack.
    if (isDatabaseUnavailable(error)) {
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      if (isOutOfStorage(error)) {
        request.log.error({ err: error }, 'the database cannot write: its disk is full or read-only; free space or fix the mount');
        return send(reply, 'database_unavailable', 'the server cannot store anything right now (its disk is full or read-only); nothing from this request was kept; retry later');
      }
      request.log.warn({ err: error }, 'database unavailable');
      return send(reply, 'database_unavailable', 'the database is unavailable; retry shortly');
    }
    if (isEmbargoError(error)) {
      if (errorCodes[error.code] >= 500) request.log.error({ err: error }, 'request failed');
      return send(reply, error.code, error.message, error.details);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({ path: fieldPath(error.validationContext, v.instancePath), message: v.message ?? 'is invalid' }));
      return send(reply, 'validation_failed', 'the request is invalid', details);
    }
    if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return send(reply, 'validation_failed', 'the body is not valid JSON', [{ path: 'body', message: 'is not valid JSON' }]);
    }
    const known = error.code ? fastifyClientErrors[error.code] : undefined;
    if (known) return send(reply, known[0], known[1]);
    if (error.statusCode === 429) return send(reply, 'rate_limited', 'too many requests; slow down');
    if (isResponseSerializationError(error) || !error.statusCode || error.statusCode >= 500) {
      request.log.error({ err: error }, 'unexpected error');
      return send(reply, 'internal_error', 'something went wrong on our side; the request id identifies it in the logs');
    }
    request.log.info({ err: error }, 'client error');
    return send(reply, error.statusCode === 404 ? 'not_found' : 'validation_failed', 'the request could not be processed');
  });

  app.setNotFoundHandler((request, reply) => send(reply, 'route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
});

/**
 * Fastify's `frameworkErrors` option: errors its router raises before any
 * route runs (a path with a malformed percent-encoding), in the same shape
 * as every other error instead of Fastify's own body naming its error codes.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // These replies skip every plugin's hooks, the security headers' included: the two that matter for a JSON error are set here.
  reply.header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
  if (error.statusCode !== undefined && error.statusCode < 500) {
    send(reply, 'validation_failed', 'the URL is not valid', [{ path: 'url', message: 'has a malformed percent-encoding' }]);
    return;
  }
  request.log.error({ err: error }, 'unexpected router error');
  send(reply, 'internal_error', 'something went wrong on our side; the request id identifies it in the logs');
}
