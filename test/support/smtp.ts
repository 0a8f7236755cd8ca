import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** The body with quoted-printable encoding undone, as a mail client would show it. */
  text: string;
}

function decodedBody(raw: string): string {
  const body = raw.slice(raw.search(/\r?\n\r?\n/) + 1);
  if (!/^Content-Transfer-Encoding: quoted-printable/im.test(raw)) return body;
  return body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * A real SMTP server on 127.0.0.1 for tests. `rejectNext(n)` makes it refuse
 * the next n messages with a temporary error, as a struggling server would
 * (or with `responseCode` 550, a permanent one). `acceptDelayMs` makes it
 * answer each message that much later (a slow server, to stop a sender
 * mid-batch); `onAccepted` sees each accepted mail as it is taken in.
 */
export async function startTestSmtpServer(options: { acceptDelayMs?: number; onAccepted?: (mail: ReceivedMail) => void } = {}) {
  const received: ReceivedMail[] = [];
  let toReject = 0;
  let rejectCode = 451;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        if (toReject > 0) {
          toReject -= 1;
          const error = Object.assign(new Error(rejectCode >= 500 ? `no such mailbox <${session.envelope.rcptTo.map((r) => r.address).join()}>` : 'try again later'), { responseCode: rejectCode });
          return callback(error);
        }
        const mail = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, text: decodedBody(raw) };
        received.push(mail);
        options.onAccepted?.(mail);
        if (options.acceptDelayMs) setTimeout(() => callback(), options.acceptDelayMs).unref();
        else callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    rejectNext(count: number, responseCode = 451) {
      toReject = count;
      rejectCode = responseCode;
    },
    /** Waits until a mail matching `predicate` has arrived. */
    async waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs = 20_000): Promise<ReceivedMail> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mail = received.find(predicate);
        if (mail) return mail;
        if (Date.now() > deadline) throw new Error(`no matching mail within ${timeoutMs} ms; got:\n${received.map((m) => m.raw).join("\n---\n")}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
