import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config/index.ts';
import { createServiceContext, type ServiceContext } from '../services/context.ts';
import type { SecurityTxtSigner } from '../services/policy-documents.service.ts';
import type { OpenDatabase } from '../storage/database.ts';
import { clearOnWrites, createRenderCache, type RenderCache } from './render-cache.ts';
import { logAbandonedRequests, loggerOptions, OneLinePerRequest } from './logger.ts';
import { accessControlPlugin } from './plugins/access-control.ts';
import { browserSecurityPlugin } from './plugins/browser-security.ts';
import { errorHandlerPlugin, frameworkErrorHandler } from './plugins/error-handler.ts';
import { metricsPlugin, metricsRoute, type JobRunnerProbe } from './plugins/metrics.ts';
import { openApiPlugin } from './plugins/openapi.ts';
import { nulGuardPlugin } from './plugins/nul-guard.ts';
import { rateLimitPlugin } from './plugins/rate-limits.ts';
import { securityHeadersPlugin } from './plugins/security-headers.ts';
import { accountRoutes } from './routes/account/routes.ts';
import { advisoryRoutes } from './routes/advisories/routes.ts';
import { auditRoutes } from './routes/audit/routes.ts';
import { csafRoutes } from './routes/csaf/routes.ts';
import { authRoutes } from './routes/auth/routes.ts';
import { healthRoutes } from './routes/health/routes.ts';
import { organisationRoutes } from './routes/organisation/routes.ts';
import { policyDocumentRoutes } from './routes/policy-documents/routes.ts';
import { projectRoutes } from './routes/projects/routes.ts';
import { attachmentRoutes } from './routes/reports/attachment-routes.ts';
import { dataRightsRoutes } from './routes/reports/data-rights-routes.ts';
import { intakeRoutes } from './routes/reports/intake-routes.ts';
import { keyRoutes } from './routes/reports/key-routes.ts';
import { portalRoutes } from './routes/reports/portal-routes.ts';
import { teamReportRoutes } from './routes/reports/team-routes.ts';
import { inboxRoutes } from './routes/triage/inbox-routes.ts';
import { metricsRoutes } from './routes/triage/metrics-routes.ts';
import { triageRoutes } from './routes/triage/routes.ts';
import { setupRoutes } from './routes/setup/routes.ts';
import { subscriptionRoutes } from './routes/subscriptions/routes.ts';
import { notificationPreferenceRoutes } from './routes/account/notification-routes.ts';
import { userRoutes } from './routes/users/routes.ts';
import { webhookRoutes } from './routes/webhooks/routes.ts';
import { webRoutes } from './routes/web/routes.ts';

export const API_VERSION = '0.1.0';
/** Upper bound on any request body; individual routes may set lower ones. Policy files are small. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export type AppConfig = Pick<Config, 'publicUrl' | 'env' | 'logLevel' | 'setupTokenTtlMinutes' | 'secrets' | 'auth' | 'http' | 'attachments' | 'metrics'>;

export interface BuildOptions {
  config: AppConfig;
  database: OpenDatabase;
  now?: () => Date;
  /** Signs served security.txt files when a signing key is configured. */
  securityTxtSigner?: SecurityTxtSigner | undefined;
  logger?: FastifyServerOptions['logger'];
  /** The server's job runner, for readiness and metrics; apps built without one (tests) report neither. */
  jobs?: JobRunnerProbe | undefined;
  /** Where the built web UI is (default dist/web); tests may point at their own build. */
  webDistDir?: string | undefined;
}

export type App = FastifyInstance;

export interface RouteOptions {
  ctx: ServiceContext;
  publicUrl: string;
  signer: SecurityTxtSigner | undefined;
  database: OpenDatabase;
  authRateLimit: number;
  intakeLimits: { perAddressPerMinute: number; perProjectPerMinute: number };
  jobs: JobRunnerProbe | undefined;
  renderCache: RenderCache;
}

/** Fastify takes a hop count as a function (its types omit the number form proxy-addr accepts). */
function trustProxyOption(setting: number | string[] | undefined): FastifyServerOptions['trustProxy'] {
  if (setting === undefined) return false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}

/** Builds the Fastify application without listening, so tests drive it with `inject()`. */
export async function build(options: BuildOptions): Promise<App> {
  const { config } = options;
  const ctx = createServiceContext(config, options.database.db, options.now);
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logLevel),
    logController: new OneLinePerRequest(),
    genReqId: () => randomUUID(),
    bodyLimit: DEFAULT_BODY_LIMIT,
    // Only configured proxies are believed about client addresses (EMBARGO_TRUST_PROXY).
    trustProxy: trustProxyOption(config.http.trustProxy),
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  logAbandonedRequests(app);

  await app.register(errorHandlerPlugin);
  // Before access control: its hook takes the metrics token off the request first (see the plugin).
  await app.register(metricsPlugin, { db: options.database.db, env: config.env, token: config.metrics.token, jobs: options.jobs });
  await app.register(securityHeadersPlugin, { hsts: config.publicUrl.startsWith('https://') });
  await app.register(browserSecurityPlugin, { corsOrigins: config.http.corsOrigins });
  await app.register(rateLimitPlugin, { perMinute: config.http.rateLimitPerMinute, database: options.database });
  await app.register(openApiPlugin, { version: API_VERSION });
  await app.register(accessControlPlugin, { ctx });
  await app.register(nulGuardPlugin);
  const renderCache = createRenderCache({ ttlMs: config.http.publicCacheMs });
  clearOnWrites(app, renderCache);

  const routeOptions: RouteOptions = {
    ctx,
    publicUrl: config.publicUrl,
    signer: options.securityTxtSigner,
    database: options.database,
    authRateLimit: config.http.authRateLimitPerMinute,
    intakeLimits: { perAddressPerMinute: config.http.intakeRateLimitPerMinute, perProjectPerMinute: config.http.intakeProjectRateLimitPerMinute },
    jobs: options.jobs,
    renderCache,
  };
  const resources = [healthRoutes, setupRoutes, authRoutes, accountRoutes, userRoutes, organisationRoutes, projectRoutes, policyDocumentRoutes, auditRoutes];
  for (const routes of [...resources, intakeRoutes, portalRoutes, teamReportRoutes, attachmentRoutes, triageRoutes, inboxRoutes, metricsRoutes]) {
    await app.register(routes, routeOptions);
  }
  await app.register(keyRoutes, routeOptions);
  await app.register(dataRightsRoutes, routeOptions);
  await app.register(webhookRoutes, routeOptions);
  await app.register(advisoryRoutes, routeOptions);
  await app.register(csafRoutes, routeOptions);
  await app.register(subscriptionRoutes, routeOptions);
  await app.register(notificationPreferenceRoutes, routeOptions);
  await app.register(metricsRoute);
  await app.register(webRoutes, { ...routeOptions, distDir: options.webDistDir });
  return app;
}
