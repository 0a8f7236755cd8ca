import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { generateProjectKey, getIntakeEncryption, getPublicKey, removePrivateKey, uploadProjectKey, type ProjectKeyView } from '../../../services/reports/project-keys.service.ts';
import type { RouteOptions } from '../../app.ts';
import { requestMeta } from '../../request-meta.ts';
import { signedIn } from '../../signed-in.ts';
import { slugParams } from '../projects/schema.ts';

const bearer = [{ bearer: [] }];
const manage = { access: { action: 'project.updatePolicy' as const, projectParam: 'slug' } };
const armored = z.string().min(1).max(64 * 1024);

const uploadBody = z
  .object({
    publicKey: armored.describe('ASCII-armoured OpenPGP public key with an encryption subkey'),
    privateKey: armored.optional().describe('Its private key, for Embargo to decrypt at intake; leave out to keep it offline'),
    passphrase: z.string().max(1024).optional().describe('Unlocks the private key once; never stored'),
  })
  .strict();

const keyResponse = z.object({
  fingerprint: z.string(),
  publicKey: z.string(),
  hasPrivateKey: z.boolean().describe('False: encrypted reports are stored as received, for the team to decrypt offline'),
  createdAt: z.iso.datetime(),
  publicKeyUrl: z.string(),
});

const intakeInfoResponse = z.object({
  attachments: z.object({ maxFileBytes: z.number().int(), maxReportBytes: z.number().int(), maxCount: z.number().int() }),
  encryption: z
    .object({
      publicKey: z.string(),
      fingerprint: z.string().nullable(),
      serverCanDecrypt: z.boolean().describe('False: Embargo holds no private key, so encrypted fields and files stay ciphertext until the team decrypts them offline'),
    })
    .nullable(),
});

/** A project's OpenPGP intake key: managed by its admins, the public half published next to security.txt. */
export const keyRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx, publicUrl }) => {
  const present = (slug: string, key: ProjectKeyView) => ({ ...key, createdAt: key.createdAt.toISOString(), publicKeyUrl: `${publicUrl}/p/${slug}/pgp-key.txt` });

  app.post(
    '/api/v1/projects/:slug/intake-key',
    { config: manage, schema: { tags: ['projects'], summary: 'Generate an intake key pair held by Embargo (replaces the current one)', security: bearer, params: slugParams, response: { 201: keyResponse } } },
    async (request, reply) => reply.status(201).send(present(request.params.slug, await generateProjectKey(ctx, signedIn(request.principal), request.params.slug, requestMeta(request)))),
  );

  app.put(
    '/api/v1/projects/:slug/intake-key',
    { config: manage, schema: { tags: ['projects'], summary: "Install the team's own intake key", security: bearer, params: slugParams, body: uploadBody, response: { 200: keyResponse } } },
    async (request) => present(request.params.slug, await uploadProjectKey(ctx, signedIn(request.principal), request.params.slug, request.body, requestMeta(request))),
  );

  app.delete(
    '/api/v1/projects/:slug/intake-key/private',
    { config: manage, schema: { tags: ['projects'], summary: 'Delete the private key (the team keeps it offline)', security: bearer, params: slugParams, response: { 200: keyResponse } } },
    async (request) => present(request.params.slug, await removePrivateKey(ctx, signedIn(request.principal), request.params.slug, requestMeta(request))),
  );

  app.get(
    '/api/v1/projects/:slug/intake',
    {
      config: { access: 'public' },
      schema: { tags: ['reports'], summary: 'What the report form needs: attachment limits and the key to encrypt to', params: slugParams, response: { 200: intakeInfoResponse } },
    },
    async (request) => ({ attachments: ctx.attachments, encryption: await getIntakeEncryption(ctx, request.params.slug) }),
  );

  app.get('/p/:slug/pgp-key.txt', { config: { access: 'public' }, schema: { tags: ['policy documents'], params: slugParams } }, async (request, reply) =>
    // Short public caching like the other published documents: a new key shows within minutes.
    reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=300').send(await getPublicKey(ctx, request.params.slug)),
  );
};
