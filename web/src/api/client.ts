/**
 * The one way pages talk to the server: the same JSON API as the CLI and
 * integrations. Errors arrive as `{ error: { code, message, details } }` and
 * are thrown as ApiError so forms can show field messages at the right place.
 *
 * Team sessions ride on the HttpOnly `__Host-` cookie; state-changing requests
 * also carry the CSRF token returned at sign-in. The token is kept in
 * sessionStorage so that a reload keeps the session usable (it is worthless
 * without the cookie, and the cookie is invisible to scripts).
 */
export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }

  /** The message for one form field (`path` as the server reports it, e.g. `fields.title`). */
  fieldMessage(path: string): string | undefined {
    return this.details.find((d) => d.path === path)?.message;
  }
}

const CSRF_KEY = 'embargo.csrf';
const PORTAL_KEY = 'embargo.portal';

export const session = {
  csrfToken: () => sessionStorage.getItem(CSRF_KEY),
  setCsrfToken: (token: string | null) => (token ? sessionStorage.setItem(CSRF_KEY, token) : sessionStorage.removeItem(CSRF_KEY)),
  /** The reporter's follow-up token: in memory for this tab only, never in a URL query or localStorage. */
  portalToken: () => sessionStorage.getItem(PORTAL_KEY),
  setPortalToken: (token: string | null) => (token ? sessionStorage.setItem(PORTAL_KEY, token) : sessionStorage.removeItem(PORTAL_KEY)),
};

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** A bearer token (the reporter's follow-up token); team pages use the session cookie instead. */
  bearer?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  const csrf = session.csrfToken();
  if (method !== 'GET' && csrf && !options.bearer) headers['x-csrf-token'] = csrf;
  const response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal ?? null });
  if (!response.ok) throw await toApiError(response);
  return response;
}

async function toApiError(response: Response): Promise<ApiError> {
  try {
    const payload = (await response.json()) as { error?: { code?: string; message?: string; details?: ErrorDetail[] } };
    const error = payload.error ?? {};
    return new ApiError(response.status, error.code ?? 'unknown', error.message ?? response.statusText, Array.isArray(error.details) ? error.details : []);
  } catch {
    return new ApiError(response.status, 'unknown', `the server answered ${response.status}`);
  }
}

/** A JSON request; resolves to the parsed body (undefined for 204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A request whose answer is text (SECURITY.md, security.txt, policy YAML). */
export async function apiText(path: string, options: RequestOptions = {}): Promise<string> {
  return (await send(path, { ...options, headers: { accept: 'text/plain, */*', ...options.headers } })).text();
}

/** Reads `#token=…` from the URL fragment (never sent to the server) and removes it from the address bar. */
export function takeFragmentToken(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (token) history.replaceState(history.state, '', window.location.pathname + window.location.search);
  return token;
}
