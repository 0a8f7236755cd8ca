import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from '../../request-meta.ts';
import { confirmSubscriptionLink, requestSubscription, unsubscribeLink } from '../../../services/subscriptions/subscriptions.service.ts';
import type { RouteOptions } from '../../app.ts';

const tags = ['subscriptions'];
const subscribeBody = z
  .object({
    email: z.email().max(254),
    project: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'is not a project slug').optional().describe('a project slug; without it, every advisory of the instance'),
  })
  .strict();
const tokenQuery = z.object({ token: z.string().min(1).max(200) }).strict();
const accepted = z.object({ status: z.literal('accepted'), message: z.string() });
const done = z.object({ status: z.enum(['confirmed', 'unsubscribed']) });
const ACCEPTED = { status: 'accepted' as const, message: 'If this address is not subscribed yet, a confirmation link is on its way to it.' };

/**
 * Public advisory subscriptions with double opt-in. Subscribing answers the
 * same 202 whatever the address's state, so nobody can learn who subscribes.
 * Links carry HMAC-signed tokens (services/subscriptions/subscription-token.ts).
 */
export const subscriptionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx, intakeLimits }) => {
  // RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` as a form; only the token in the URL matters.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, body, finish) => finish(null, body));

  app.post(
    '/api/v1/subscriptions',
    {
      // The same budget per address as report intake: each request may send a mail.
      config: { access: 'public', rateLimit: { max: intakeLimits.perAddressPerMinute, timeWindow: '1 minute' } },
      schema: { tags, summary: "Subscribe an address to a project's or the instance's advisories (double opt-in)", body: subscribeBody, response: { 202: accepted } },
    },
    async (request, reply) => {
      await requestSubscription(ctx, request.body, requestMeta(request));
      return reply.status(202).send(ACCEPTED);
    },
  );

  // GET never acts: mail scanners and link previewers fetch every link in a mail, and would confirm or end
  // subscriptions nobody asked about. A GET (an older mail's link, or a client that opens List-Unsubscribe in a
  // browser) is sent to the page that asks first, the token moved into the fragment, which browsers never send.
  const toPage = (page: 'confirm' | 'unsubscribe') => async (request: FastifyRequest<{ Querystring: { token: string } }>, reply: FastifyReply) =>
    reply.redirect(`/subscriptions/${page}#token=${encodeURIComponent(request.query.token)}`, 303);
  const linkGet = (summary: string) => ({ config: { access: 'public' as const }, schema: { tags, summary, querystring: tokenQuery } });
  app.get('/api/v1/subscriptions/confirm', linkGet('Show the page that confirms a subscription (changes nothing)'), toPage('confirm'));
  app.get('/api/v1/subscriptions/unsubscribe', linkGet('Show the page that ends a subscription (changes nothing)'), toPage('unsubscribe'));

  app.post(
    '/api/v1/subscriptions/confirm',
    { config: { access: 'public' }, schema: { tags, summary: 'Confirm a subscription (the page behind the link in the confirmation mail)', querystring: tokenQuery, response: { 200: done } } },
    async (request) => {
      await confirmSubscriptionLink(ctx, request.query.token, requestMeta(request));
      return { status: 'confirmed' as const };
    },
  );

  app.post(
    '/api/v1/subscriptions/unsubscribe',
    { config: { access: 'public' }, schema: { tags, summary: 'End a subscription (the RFC 8058 one-click target and the unsubscribe page)', querystring: tokenQuery, response: { 200: done } } },
    async (request) => {
      await unsubscribeLink(ctx, request.query.token, requestMeta(request));
      return { status: 'unsubscribed' as const };
    },
  );
};
