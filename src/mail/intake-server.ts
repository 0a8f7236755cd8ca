/**
 * The inbound SMTP listener of the email intake: an MX for the intake
 * domain. What to accept and what to do with a message are passed in; this
 * file only speaks SMTP.
 *
 * - No authentication: senders are other mail servers and reporters without accounts.
 * - Recipients are checked at RCPT time, so mail to an unknown project or a
 *   forged reply address is refused (550) before its data is sent, and no
 *   bounce is ever generated here (no backscatter).
 * - One recipient per transaction (452 for more, which senders retry): a
 *   message then either becomes one report or is refused, never half of both.
 * - SIZE is advertised and enforced: oversized mail is refused with 552.
 * - 8BITMIME and SMTPUTF8 are accepted (mailparser decodes either).
 * - No TLS: STARTTLS is off because no certificate is configured (smtp-server's
 *   built-in one has a published private key). Put a TLS-terminating MTA in
 *   front to receive over TLS; certificate settings are a later change.
 */
import { SMTPServer, type SMTPServerDataStream, type SMTPServerError, type SMTPServerSession } from 'smtp-server';

export interface InboundEnvelope {
  /** The envelope sender; empty for bounces (the null sender). */
  mailFrom: string;
  recipient: string;
  remoteAddress: string;
}

/** A permanent or temporary refusal with its SMTP reply code (5xx permanent, 4xx retry later). */
export class SmtpRefusal extends Error {
  readonly responseCode: number;

  constructor(responseCode: number, message: string) {
    super(message);
    this.name = 'SmtpRefusal';
    this.responseCode = responseCode;
  }
}

export interface IntakeServerOptions {
  host: string;
  port: number;
  /** The name in the greeting: the intake domain. */
  name: string;
  maxBytes: number;
  acceptsRecipient(address: string): Promise<boolean>;
  /** Takes one whole message. Throw SmtpRefusal to refuse it; any other error answers 451 (the sender retries). */
  deliver(raw: Buffer, envelope: InboundEnvelope): Promise<void>;
  onError(error: unknown): void;
}

export interface RunningIntakeServer {
  port: number;
  close(): Promise<void>;
}

const MAX_CLIENTS = 50;
const temporaryFailure = () => new SmtpRefusal(451, 'Temporary failure, please try again later');

function readMessage(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    // Past the limit the stream still has to be drained; the chunks are not kept.
    stream.on('data', (chunk: Buffer) => {
      if (!stream.sizeExceeded) chunks.push(chunk);
    });
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

export async function startIntakeServer(options: IntakeServerOptions): Promise<RunningIntakeServer> {
  const refusal = (error: unknown): SMTPServerError => {
    if (error instanceof SmtpRefusal) return error;
    options.onError(error);
    return temporaryFailure();
  };
  const server = new SMTPServer({
    name: options.name,
    banner: 'Embargo vulnerability report intake',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: options.maxBytes,
    rejectOversized: true,
    disableReverseLookup: true,
    maxClients: MAX_CLIENTS,
    logger: false,
    onRcptTo(address, session: SMTPServerSession, callback) {
      if (session.envelope.rcptTo.length > 0) return callback(new SmtpRefusal(452, 'One recipient per message, please send the others separately'));
      options.acceptsRecipient(address.address).then(
        (accepted) => callback(accepted ? null : new SmtpRefusal(550, 'No such intake address here')),
        (error: unknown) => callback(refusal(error)),
      );
    },
    onData(stream, session, callback) {
      readMessage(stream)
        .then(async (raw) => {
          if (stream.sizeExceeded) throw new SmtpRefusal(552, `Message exceeds the maximum size of ${options.maxBytes} bytes`);
          const [recipient] = session.envelope.rcptTo;
          if (!recipient) throw new SmtpRefusal(554, 'No valid recipients');
          const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          await options.deliver(raw, { mailFrom, recipient: recipient.address, remoteAddress: session.remoteAddress });
        })
        .then(
          () => callback(null),
          (error: unknown) => callback(refusal(error)),
        );
    },
  });
  server.on('error', (error) => options.onError(error));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
