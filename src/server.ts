import { readFile } from 'node:fs/promises';
import type { Config } from './config/index.ts';
import { build, type App } from './http/app.ts';
import { createSecurityTxtSigner, type SecurityTxtSigner } from './services/policy-documents.service.ts';
import { startBackgroundWork } from './jobs/background.ts';
import { startJobRunner } from './jobs/job-runner.ts';
import { startEmailIntake } from './jobs/email-intake-listener.ts';
import { createSmtpMailer } from './mail/smtp-mailer.ts';
import { createServiceContext } from './services/context.ts';
import { issueSetupToken } from './services/setup.service.ts';
import { openConfiguredDatabase } from './storage/open-for-config.ts';

async function loadSigner(config: Config): Promise<SecurityTxtSigner | undefined> {
  const { signingKeyFile, signingKeyPassphrase } = config.securityTxt;
  if (!signingKeyFile) return undefined;
  return createSecurityTxtSigner({ armoredPrivateKey: await readFile(signingKeyFile, 'utf8'), passphrase: signingKeyPassphrase });
}

export interface RunningServer {
  app: App;
  url: string;
  setupUrl: string | undefined;
  /**
   * Graceful stop: no new connections; in-flight requests and running jobs get
   * until the deadline (config.shutdownTimeoutSeconds), then their connections
   * are cut; background loops stop; the database closes cleanly.
   */
  close(): Promise<void>;
}

/**
 * Starts Embargo: database (migrated), HTTP server, and on a fresh instance a
 * one-time setup link. The link is written to stderr, not to the structured
 * log, so it does not end up in log aggregation; the token sits in the URL
 * fragment, so no browser ever sends it to a server.
 */
export async function startServer(config: Config, out: NodeJS.WritableStream = process.stderr): Promise<RunningServer> {
  const database = await openConfiguredDatabase(config);
  const ctx = createServiceContext(config, database.db);
  let app: App | undefined;
  let setup: Awaited<ReturnType<typeof issueSetupToken>>;
  // Started before the app so readiness and metrics can see it; its errors go to the app's log once there is one.
  const jobs = await startJobRunner(database, ctx, { onError: (error) => app?.log.error({ err: error }, 'job runner error') }).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  try {
    app = await build({ config, database, securityTxtSigner: await loadSigner(config), jobs });
    // Issued before listening, so an instance that answers has already voided any earlier instance's link.
    setup = await issueSetupToken(ctx);
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app?.close();
    await jobs.stop();
    await database.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const mailer = config.mail.smtpUrl ? createSmtpMailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, domain: new URL(config.publicUrl).hostname }) : undefined;
  const background = startBackgroundWork(ctx, app.log, { mailer, webhookMaxConsecutiveFailures: config.webhooks.maxConsecutiveFailures });
  // Off unless mail.intakeListen is set; a port that cannot be bound stops the start like the HTTP port does.
  const intake = await startEmailIntake(ctx, config.mail, app.log).catch(async (error: unknown) => {
    await app.close();
    await jobs.stop();
    await background.stop();
    await database.close();
    throw error;
  });
  const publicUrl = config.port === 0 ? config.publicUrl.replace(/:0$/, `:${port}`) : config.publicUrl;
  const setupUrl = setup ? `${publicUrl}/setup#token=${setup.token}` : undefined;
  if (setup && setupUrl) {
    out.write(`\nEmbargo is not set up yet. Create the owner account within ${config.setupTokenTtlMinutes} minutes at:\n\n  ${setupUrl}\n\n(expires ${setup.expiresAt.toISOString()}; restart the server for a new link)\n\n`);
  }
  let closing: Promise<void> | undefined;
  const running = app;
  return {
    app: running,
    url: `http://${config.host}:${port}`,
    setupUrl,
    close() {
      closing ??= (async () => {
        const timeoutMs = config.shutdownTimeoutSeconds * 1000;
        const deadline = Date.now() + timeoutMs;
        await intake?.close();
        // Fastify stops listening at once, answers requests on kept-alive connections with 503, and waits for in-flight ones.
        const cut = setTimeout(() => running.server.closeAllConnections(), timeoutMs);
        await Promise.all([running.close().finally(() => clearTimeout(cut)), jobs.stop(timeoutMs)]);
        // A loop still running at the deadline (a slow mail server) is abandoned: its lease expires and another run retries.
        await Promise.race([background.stop(), new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref())]);
        await database.close();
      })();
      return closing;
    },
  };
}
