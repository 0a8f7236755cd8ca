/**
 * Coded domain errors. Services and domain code throw these; they never know
 * about HTTP. The single Fastify error handler (src/http/plugins/error-handler.ts)
 * maps each code to a status, and the CLI maps them to exit codes and messages.
 *
 * `code` is stable API: clients branch on it. `message` is for humans.
 * `details` carries field paths for validation failures.
 */
export interface ErrorDetail {
  /** Dotted/indexed path to the offending field, e.g. `response_targets.fix.critical`. */
  path: string;
  message: string;
}

export const errorCodes = {
  validation_failed: 400,
  invalid_policy: 400,
  invalid_config: 500,
  unauthenticated: 401,
  invalid_credentials: 401,
  mfa_invalid: 401,
  reauthentication_failed: 401,
  link_invalid: 401,
  session_expired: 401,
  forbidden: 403,
  csrf_failed: 403,
  mfa_enrolment_required: 403,
  weak_password: 400,
  last_owner: 409,
  illegal_transition: 409,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  setup_already_done: 409,
  setup_token_invalid: 401,
  setup_required: 503,
  payload_too_large: 413,
  unsupported_media_type: 415,
  security_txt_expired: 422,
  advisory_invalid: 422,
  rate_limited: 429,
  database_unavailable: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class EmbargoError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbargoError';
    this.code = code;
    this.details = details;
  }
}

export function isEmbargoError(value: unknown): value is EmbargoError {
  return value instanceof EmbargoError;
}

/** Turns a zod issue path (`['a', 0, 'b']`) into `a[0].b`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Converts zod issues into error details with field paths. */
export function detailsFromZodIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix: ReadonlyArray<PropertyKey> = [],
): ErrorDetail[] {
  return issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}
