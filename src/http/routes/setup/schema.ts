import { z } from 'zod';

/** Minimal password rule for the first owner; the accounts issue replaces it with the full ASVS policy (breached-password list). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

export const setupBody = z
  .object({
    token: z.string().min(1).max(200),
    email: z.email().max(254),
    password: z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH),
    organisationName: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const setupResponse = z.object({
  owner: z.object({ id: z.uuid(), email: z.string(), role: z.literal('owner') }),
  organisation: z.object({ id: z.uuid(), name: z.string() }),
  apiToken: z.string().describe('Bearer token for the API. Shown once; store it now.'),
});

export const setupStatusResponse = z.object({ required: z.boolean() });
