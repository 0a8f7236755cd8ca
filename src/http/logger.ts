import type { FastifyServerOptions } from 'fastify';

/**
 * Fields that may hold secrets anywhere in a log object. Pino replaces them
 * with [redacted] before the line is written, so a careless `log.info(obj)`
 * cannot leak a token or password.
 */
const secretFieldNames = ['password', 'token', 'apiToken', 'secret', 'secrets', 'serverSecret', 'encryptionKey', 'previousEncryptionKeys', 'encryptionKeys', 'passphrase', 'signingKeyPassphrase'];

export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  // pino's `*.x` matches one level down only, so both the top level and one level deep are listed.
  ...secretFieldNames,
  ...secretFieldNames.map((name) => `*.${name}`),
];

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: {
      // Query strings are dropped from logged URLs: they are the usual place a secret ends up by mistake.
      req: (req: { method: string; url: string; id: string; ip?: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0], ip: req.ip }),
    },
  };
}
