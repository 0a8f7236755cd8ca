import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deliveries, teamEventKinds } from '../../../domain/notifications/team-events.ts';
import { getNotificationPreferences, setNotificationPreferences } from '../../../services/notifications/preferences.service.ts';
import type { RouteOptions } from '../../app.ts';
import { signedIn } from '../../signed-in.ts';

const bearer = [{ bearer: [] }];
const tags = ['account'];
const delivery = z.enum(deliveries);
const preferences = z.object(Object.fromEntries(teamEventKinds.map((kind) => [kind, delivery])) as Record<(typeof teamEventKinds)[number], typeof delivery>);
const view = z.object({ preferences });
const description = 'Per event kind: immediate mail, a line in the daily digest, or off. Account security mails (new sign-in, lockout, MFA and password changes) are not listed: they cannot be turned off.';

/** The signed-in user's own team notification preferences. */
export const notificationPreferenceRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/api/v1/account/notification-preferences',
    { config: { access: 'account.manage' }, schema: { tags, summary: 'Your notification preferences', description, security: bearer, response: { 200: view } } },
    async (request) => ({ preferences: await getNotificationPreferences(ctx, signedIn(request.principal).userId) }),
  );
  app.put(
    '/api/v1/account/notification-preferences',
    { config: { access: 'account.manage' }, schema: { tags, summary: 'Change your notification preferences (kinds left out keep their value)', description, security: bearer, body: z.object({ preferences: preferences.partial().strict() }).strict(), response: { 200: view } } },
    async (request) => ({ preferences: await setNotificationPreferences(ctx, signedIn(request.principal).userId, request.body.preferences) }),
  );
};
