import { z } from 'zod';

const role = z.enum(['owner', 'admin', 'member']);
const projectRole = z.enum(['project_admin', 'triager', 'viewer']);

export const userView = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string().nullable(),
  role,
  mfaEnabled: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.iso.datetime(),
});
export const userList = z.object({ users: z.array(userView) });
export const userParams = z.object({ id: z.uuid() });
export const updateUserBody = z
  .object({ role: role.optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.disabled !== undefined, { message: 'give role and/or disabled' });
export const updatedUser = z.object({ id: z.uuid(), email: z.string(), role, disabled: z.boolean() });

export const inviteBody = z
  .object({
    email: z.email().max(254),
    role: role.default('member'),
    project: z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/), role: projectRole }).strict().optional(),
  })
  .strict();
export const invitationView = z.object({ id: z.uuid(), email: z.string(), role, expiresAt: z.iso.datetime() });
export const invitationList = z.object({ invitations: z.array(invitationView) });

export const memberParams = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/), userId: z.uuid() });
export const memberBody = z.object({ role: projectRole }).strict();
export const memberList = z.object({ members: z.array(z.object({ userId: z.uuid(), email: z.string(), displayName: z.string().nullable(), role: projectRole })) });
