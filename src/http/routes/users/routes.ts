import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cancelInvitation, inviteUser, listInvitations } from '../../../services/accounts/invitations.service.ts';
import { endUserSessions, listOrganisationUsers, updateOrganisationUser } from '../../../services/accounts/users.service.ts';
import { listMembers, removeMember, setMember } from '../../../services/project-members.service.ts';
import type { RouteOptions } from '../../app.ts';
import { requestMeta } from '../../request-meta.ts';
import { signedIn } from '../../signed-in.ts';
import { slugParams } from '../projects/schema.ts';
import { iso } from '../presenters.ts';
import { invitationList, invitationView, inviteBody, memberBody, memberList, memberParams, updatedUser, updateUserBody, userList, userParams } from './schema.ts';

const bearer = [{ bearer: [] }];

/** Team administration: users, invitations, and who works on which project. */
export const userRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get('/api/v1/users', { config: { access: 'users.read' }, schema: { tags: ['users'], security: bearer, response: { 200: userList } } }, async (request) => ({
    users: (await listOrganisationUsers(ctx, signedIn(request.principal).organisationId)).map((u) => ({ ...u, createdAt: iso(u.createdAt) })),
  }));

  app.patch('/api/v1/users/:id', { config: { access: 'users.manage' }, schema: { tags: ['users'], security: bearer, params: userParams, body: updateUserBody, response: { 200: updatedUser } } }, async (request) =>
    updateOrganisationUser(ctx, signedIn(request.principal), request.params.id, request.body, requestMeta(request)),
  );

  app.post('/api/v1/users/:id/sessions/end', { config: { access: 'users.manage' }, schema: { tags: ['users'], security: bearer, params: userParams, response: { 200: z.object({ endedSessions: z.number().int() }) } } }, async (request) =>
    endUserSessions(ctx, signedIn(request.principal), request.params.id, requestMeta(request)),
  );

  app.get('/api/v1/invitations', { config: { access: 'users.read' }, schema: { tags: ['users'], security: bearer, response: { 200: invitationList } } }, async (request) => ({
    invitations: (await listInvitations(ctx, signedIn(request.principal).organisationId)).map((i) => ({ ...i, expiresAt: iso(i.expiresAt) })),
  }));

  app.post('/api/v1/invitations', { config: { access: 'users.manage' }, schema: { tags: ['users'], security: bearer, body: inviteBody, response: { 201: invitationView } } }, async (request, reply) => {
    const invitation = await inviteUser(ctx, signedIn(request.principal), request.body, requestMeta(request));
    return reply.status(201).send({ ...invitation, expiresAt: iso(invitation.expiresAt) });
  });

  app.delete('/api/v1/invitations/:id', { config: { access: 'users.manage' }, schema: { tags: ['users'], security: bearer, params: userParams } }, async (request, reply) => {
    await cancelInvitation(ctx, signedIn(request.principal), request.params.id, requestMeta(request));
    return reply.status(204).send();
  });

  app.get('/api/v1/projects/:slug/members', { config: { access: { action: 'project.readMembers', projectParam: 'slug' } }, schema: { tags: ['projects'], security: bearer, params: slugParams, response: { 200: memberList } } }, async (request) => ({
    members: await listMembers(ctx, request.params.slug),
  }));

  app.put('/api/v1/projects/:slug/members/:userId', { config: { access: { action: 'project.manageMembers', projectParam: 'slug' } }, schema: { tags: ['projects'], security: bearer, params: memberParams, body: memberBody } }, async (request, reply) => {
    await setMember(ctx, signedIn(request.principal), request.params.slug, request.params.userId, request.body.role, requestMeta(request));
    return reply.status(204).send();
  });

  app.delete('/api/v1/projects/:slug/members/:userId', { config: { access: { action: 'project.manageMembers', projectParam: 'slug' } }, schema: { tags: ['projects'], security: bearer, params: memberParams } }, async (request, reply) => {
    await removeMember(ctx, signedIn(request.principal), request.params.slug, request.params.userId, requestMeta(request));
    return reply.status(204).send();
  });
};
