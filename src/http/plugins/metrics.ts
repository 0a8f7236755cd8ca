import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../../config/index.ts';
import { EmbargoError } from '../../errors.ts';
import type { JobRunner } from '../../jobs/job-runner.ts';
import { EMAIL_TOPIC } from '../../services/outbox.service.ts';
import type { Db } from '../../storage/database.ts';

export const METRICS_PATH = '/metrics';

export type JobRunnerProbe = Pick<JobRunner, 'isHealthy' | 'queueDepths' | 'failureCounts'>;

export interface MetricsOptions {
  db: Db;
  env: Config['env'];
  token: string | undefined;
  jobs: JobRunnerProbe | undefined;
}

/** Both sides hashed first, so the comparison takes the same time whatever the lengths. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Figures read from the database at scrape time. They describe the whole
 * installation, so every instance reports the same values: aggregate them
 * with max(), not sum(). Counting rows keeps them right across restarts and
 * instances without each code path having to report to this process.
 */
async function databaseFigures(db: Db) {
  const { rows } = await sql<{ reports: string; breached_now: string; breaches: string; webhook_failures: string; email_failures: string }>`
    select
      (select count(*) from report) as reports,
      (select count(*) from report where clock_status = 'breached') as breached_now,
      (select count(*) from (select distinct report_id, clock, due_at from sla_notification where kind = 'escalation') as b) as breaches,
      (select count(*) from webhook_attempt where error is not null or status_code is null or status_code not between 200 and 299) as webhook_failures,
      (select coalesce(sum(attempts), 0) from outbox_event where topic = ${EMAIL_TOPIC}) as email_failures
  `.execute(db);
  const row = rows[0]!;
  return { reports: Number(row.reports), breachedNow: Number(row.breached_now), breaches: Number(row.breaches), webhookFailures: Number(row.webhook_failures), emailFailures: Number(row.email_failures) };
}

/** A counter whose value is a total kept elsewhere (rows, another component): set it to that total. */
function setTotal(counter: Counter<string>, value: number, labels: Record<string, string> = {}): void {
  counter.remove(labels);
  counter.inc(labels, value);
}

/**
 * Prometheus metrics at /metrics, one registry per app (tests build many apps
 * in one process). Request latency is a histogram by route pattern, never by
 * raw URL, so no id or token reaches a label and the series stay few; its
 * `_count` is the request rate.
 *
 * The endpoint is a public route as far as access control goes: the metrics
 * token is not a user or API credential. This hook runs before access control
 * and takes a matching `Authorization: Bearer <EMBARGO_METRICS_TOKEN>` off the
 * request, remembering that it matched; any other bearer token stays and is
 * refused (and audited) by access control like everywhere else. Without a
 * configured token the endpoint is open in development and test and answers
 * 404 in production, like a route that does not exist.
 */
export const metricsPlugin = fp(async (app: FastifyInstance, opts: MetricsOptions) => {
  const registry = new Registry();
  let processMetricsStarted = false;
  const duration = new Histogram({
    name: 'embargo_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const reports = new Counter({ name: 'embargo_reports_received_total', help: 'Reports received (database-wide)', registers: [registry] });
  const breaches = new Counter({ name: 'embargo_sla_breaches_total', help: 'SLA clocks that passed their deadline while open (database-wide)', registers: [registry] });
  const breachedNow = new Gauge({ name: 'embargo_reports_sla_breached', help: 'Open reports with a breached SLA clock at the last scan (database-wide)', registers: [registry] });
  const webhookFailures = new Counter({ name: 'embargo_webhook_delivery_failures_total', help: 'Webhook delivery attempts that failed (database-wide)', registers: [registry] });
  const emailFailures = new Counter({ name: 'embargo_email_delivery_failures_total', help: 'Email delivery attempts that failed (database-wide)', registers: [registry] });
  const queueDepth = new Gauge({ name: 'embargo_job_queue_depth', help: 'Jobs waiting per pg-boss queue (database-wide)', labelNames: ['queue'], registers: [registry] });
  const jobFailures = new Counter({ name: 'embargo_job_failures_total', help: 'Jobs that failed on this instance, per queue', labelNames: ['queue'], registers: [registry] });
  const scrapeErrors = new Counter({ name: 'embargo_metrics_database_errors_total', help: 'Scrapes whose database figures could not be read (the values are stale)', registers: [registry] });

  async function refresh(): Promise<void> {
    try {
      const figures = await databaseFigures(opts.db);
      setTotal(reports, figures.reports);
      setTotal(breaches, figures.breaches);
      breachedNow.set(figures.breachedNow);
      setTotal(webhookFailures, figures.webhookFailures);
      setTotal(emailFailures, figures.emailFailures);
      if (opts.jobs) for (const [queue, depth] of Object.entries(await opts.jobs.queueDepths())) queueDepth.set({ queue }, depth);
    } catch (error) {
      // Process and request metrics still matter most when the database is down.
      app.log.warn({ err: error }, 'metrics: database figures unavailable');
      scrapeErrors.inc();
    }
    if (opts.jobs) for (const [queue, failures] of Object.entries(opts.jobs.failureCounts())) setTotal(jobFailures, failures, { queue });
  }

  app.addHook('onResponse', async (request, reply) => {
    duration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const authorised = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url !== METRICS_PATH || !opts.token) return;
    const header = request.headers.authorization;
    if (header !== undefined && sameSecret(header, `Bearer ${opts.token}`)) {
      authorised.add(request);
      delete request.headers.authorization;
    }
  });

  app.decorate('scrapeMetrics', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!opts.token && opts.env === 'production') throw new EmbargoError('route_not_found', `no route GET ${METRICS_PATH}`);
    if (opts.token && !authorised.has(request)) throw new EmbargoError('unauthenticated', 'metrics need the metrics bearer token (EMBARGO_METRICS_TOKEN)');
    // Started on first scrape: its event-loop and GC observers are per process, and most apps (tests) are never scraped.
    if (!processMetricsStarted) {
      collectDefaultMetrics({ register: registry });
      processMetricsStarted = true;
    }
    await refresh();
    return reply.header('cache-control', 'no-store').type(registry.contentType).send(await registry.metrics());
  });
});

declare module 'fastify' {
  interface FastifyInstance {
    scrapeMetrics(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  }
}

/**
 * The scrape route itself, registered after access control like every other
 * route, so that its access rule is recorded and checked with theirs (the
 * metrics plugin has to come earlier only for its token hook).
 */
export const metricsRoute = fp(async (app: FastifyInstance) => {
  app.get(METRICS_PATH, { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => app.scrapeMetrics(request, reply));
});
