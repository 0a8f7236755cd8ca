import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/index.ts';
import { isEmbargoError, type EmbargoError } from '../errors.ts';
import { SmtpRefusal, startIntakeServer, type RunningIntakeServer } from '../mail/intake-server.ts';
import { parseInboundMail } from '../mail/parse-inbound.ts';
import type { ServiceContext } from '../services/context.ts';
import { receiveEmail, resolveIntakeRecipient, type EmailIntakeSettings } from '../services/reports/email-intake.service.ts';

/** What the sender's server is told when the intake refuses a message for good; anything else is a temporary failure (451), retried. */
function smtpRefusal(error: EmbargoError): SmtpRefusal | undefined {
  const message = `${error.message}${error.details.length > 0 ? `: ${error.details.map((d) => `${d.path} ${d.message}`).join('; ')}` : ''}`.replace(/[\r\n]+/g, ' ');
  switch (error.code) {
    case 'payload_too_large':
      return new SmtpRefusal(552, message);
    case 'validation_failed':
    case 'not_found':
    case 'conflict':
      return new SmtpRefusal(550, message);
    default:
      return undefined;
  }
}

/**
 * Runs the email intake: the SMTP listener, each message parsed and handed to
 * the email intake service. The listener is off unless `mail.intakeListen`
 * is configured (config validation then requires `mail.intakeDomain`).
 */
export async function startEmailIntake(ctx: ServiceContext, mail: Pick<Config['mail'], 'intakeListen' | 'intakeDomain' | 'intakeMaxBytes'>, log: FastifyBaseLogger): Promise<RunningIntakeServer | undefined> {
  if (!mail.intakeListen || !mail.intakeDomain) return undefined;
  const settings: EmailIntakeSettings = { domain: mail.intakeDomain, maxBytes: mail.intakeMaxBytes };
  const server = await startIntakeServer({
    ...mail.intakeListen,
    name: settings.domain,
    maxBytes: settings.maxBytes,
    acceptsRecipient: async (address) => (await resolveIntakeRecipient(ctx, settings, address)) !== undefined,
    async deliver(raw, envelope) {
      const destination = await resolveIntakeRecipient(ctx, settings, envelope.recipient);
      if (!destination) throw new SmtpRefusal(550, 'No such intake address here');
      try {
        await receiveEmail(ctx, settings, destination, await parseInboundMail(raw), { ip: envelope.remoteAddress, userAgent: 'smtp' });
      } catch (error) {
        const refusal = isEmbargoError(error) ? smtpRefusal(error) : undefined;
        throw refusal ?? error;
      }
    },
    onError: (error) => log.error({ err: error }, 'email intake could not take a message; the sending server will retry'),
  });
  log.info({ port: server.port, domain: settings.domain }, 'email intake listening');
  return server;
}
