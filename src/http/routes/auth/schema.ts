import { z } from 'zod';

const email = z.email().max(254);
/** Upper bound only: the policy (length, common passwords) is checked by the service with a clear message. */
const password = z.string().min(1).max(1024);
// Authenticator apps show codes as "123 456"; spaces are dropped before the check.
const totpCode = z.string().max(20).transform((c) => c.replace(/\s+/g, '')).pipe(z.string().regex(/^\d{6}$/, 'must be 6 digits'));
const recoveryCode = z.string().min(8).max(32);

export const loginBody = z
  .object({
    email,
    password,
    mode: z.enum(['browser', 'api']).default('browser').describe('browser: session cookie + CSRF token; api: access JWT + refresh token'),
  })
  .strict();

export const mfaLoginBody = z
  .object({ challenge: z.string().min(1).max(200), code: totpCode.optional(), recoveryCode: recoveryCode.optional() })
  .strict()
  .refine((b) => (b.code === undefined) !== (b.recoveryCode === undefined), { message: 'give either code or recoveryCode', path: ['code'] });

export const refreshBody = z.object({ refreshToken: z.string().min(1).max(200) }).strict();

export const loginResponse = z.union([
  z.object({ kind: z.literal('mfa_required'), challenge: z.string(), expiresAt: z.iso.datetime() }),
  z.object({ kind: z.literal('browser'), csrfToken: z.string(), expiresAt: z.iso.datetime() }),
  z.object({ kind: z.literal('api'), accessToken: z.string(), refreshToken: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number().int() }),
]);

export const resetRequestBody = z.object({ email }).strict();
export const resetConfirmBody = z
  .object({ token: z.string().min(1).max(200), newPassword: password, code: totpCode.optional(), recoveryCode: recoveryCode.optional() })
  .strict();

export const acceptInvitationBody = z
  .object({ token: z.string().min(1).max(200), password, displayName: z.string().trim().min(1).max(200).optional() })
  .strict();

export const acceptedResponse = z.object({ status: z.literal('accepted') });

export const secondFactor = { code: totpCode.optional(), recoveryCode: recoveryCode.optional() };
export { password as passwordField };
