import { ApiError } from '../../../api/client.ts';

/** Words for the sign-in errors a person can do something about; anything else keeps the server's message. */
export function signInProblem(error: unknown): string | null {
  if (!(error instanceof ApiError)) return error ? String(error instanceof Error ? error.message : error) : null;
  switch (error.code) {
    case 'invalid_credentials':
      return 'The email or password is wrong, or the account is locked for a while after too many attempts. If it is locked, its owner has been emailed; wait and try again, or reset the password.';
    case 'rate_limited':
      return 'Too many attempts from this address. Wait a minute, then try again.';
    case 'mfa_invalid':
      return 'That code is wrong or was already used. Wait for the next code from your app, or use a recovery code.';
    case 'session_expired':
      return 'The sign-in took too long and has expired. Start again with your email and password.';
    case 'link_invalid':
      return 'This link is invalid, expired or already used. Ask for a new one.';
    default:
      return null;
  }
}
