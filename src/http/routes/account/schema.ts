import { z } from 'zod';
import { scopes } from '../../../domain/access/scopes.ts';
import { passwordField, secondFactor } from '../auth/schema.ts';

export const meResponse = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(['owner', 'admin', 'member']),
  mfaEnabled: z.boolean(),
  mfaRequired: z.boolean(),
  via: z.enum(['session', 'jwt', 'api_token']),
});

/** Current password (and an MFA code when enrolled): re-authentication for sensitive changes. */
export const proofBody = z.object({ currentPassword: passwordField, ...secondFactor }).strict();

export const changePasswordBody = z
  .object({ currentPassword: passwordField, ...secondFactor, newPassword: passwordField, endOtherSessions: z.boolean().default(true) })
  .strict();

export const confirmTotpBody = z.object({ code: secondFactor.code.unwrap() }).strict();

export const sessionList = z.object({
  sessions: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(['browser', 'api']),
      current: z.boolean(),
      createdAt: z.iso.datetime(),
      lastSeenAt: z.iso.datetime(),
      expiresAt: z.iso.datetime(),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
    }),
  ),
});

export const idParams = z.object({ id: z.uuid() });

export const createTokenBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(z.enum(scopes)).min(1).max(scopes.length),
    projectSlug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/).optional(),
    expiresAt: z.iso.datetime().optional(),
  })
  .strict();

const tokenView = z.object({
  id: z.uuid(),
  name: z.string(),
  scopes: z.array(z.string()),
  projectId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export const tokenList = z.object({ tokens: z.array(tokenView) });
export const createdToken = z.object({ id: z.uuid(), name: z.string(), scopes: z.array(z.string()), projectSlug: z.string().nullable(), expiresAt: z.iso.datetime().nullable(), token: z.string().describe('Shown once') });

export const changeEmailBody = z.object({ currentPassword: passwordField, ...secondFactor, newEmail: z.email().max(254) }).strict();
