import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** The answer given; only 2xx receipts count as processed. */
  status: number;
  /** What a careful receiver did with it: acted on it, recognised a `webhook-id` it had acted on, refused its signature or timestamp, or broke. */
  outcome: 'processed' | 'duplicate' | 'rejected' | 'failed';
  /** The verified payload, when the receiver verifies and it verified. */
  payload?: { type: string; timestamp: string; data: Record<string, unknown> };
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value].flat().join(', ')]));
}

/**
 * A real HTTP receiver on 127.0.0.1. `failNext(n)` answers the next n
 * requests with 500; `stallNext(n, ms)` takes them in (they count as
 * received) but answers only after `ms`, as a receiver does whose answer the
 * sender never sees. After `verifyWith(secret)` it behaves as the Standard
 * Webhooks specification tells receivers to: it verifies every request with
 * the `standardwebhooks` library (signature over id, timestamp and body; a
 * timestamp within five minutes) and answers 401 to one that fails, and it
 * acts on each `webhook-id` once, acknowledging a repeat without acting
 * again. `replay(r)` sends a received request again byte for byte, as
 * someone who captured it would.
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let failing = 0;
  let stalling = { count: 0, ms: 0 };
  let verifier: Webhook | undefined;
  const processed = new Set<string>();

  function judge(headers: Record<string, string>, body: string): Pick<ReceivedWebhook, 'status' | 'outcome' | 'payload'> {
    if (failing > 0) {
      failing -= 1;
      return { status: 500, outcome: 'failed' };
    }
    if (!verifier) return { status: 200, outcome: 'processed' };
    let payload: ReceivedWebhook['payload'];
    try {
      payload = verifier.verify(body, headers) as ReceivedWebhook['payload'];
    } catch {
      return { status: 401, outcome: 'rejected' };
    }
    const id = headers['webhook-id']!;
    if (processed.has(id)) return { status: 200, outcome: 'duplicate', payload };
    processed.add(id);
    return { status: 200, outcome: 'processed', payload };
  }

  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const headers = flatHeaders(request.headers);
      const verdict = judge(headers, body);
      received.push({ headers, body, ...verdict });
      const delay = stalling.count > 0 ? stalling.ms : 0;
      if (stalling.count > 0) stalling = { ...stalling, count: stalling.count - 1 };
      const text = { processed: 'ok', duplicate: 'already processed', rejected: 'bad signature or timestamp', failed: 'receiver broke' }[verdict.outcome];
      setTimeout(() => response.writeHead(verdict.status, { 'content-type': 'text/plain' }).end(text), delay).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    failNext(count: number) {
      failing = count;
    },
    stallNext(count: number, ms: number) {
      stalling = { count, ms };
    },
    verifyWith(secret: string) {
      verifier = new Webhook(secret);
    },
    /** Sends `original` again with its own headers and body (or altered ones) and resolves with the receiver's status. */
    replay(original: Pick<ReceivedWebhook, 'headers' | 'body'>, change: { body?: string; headers?: Record<string, string> } = {}): Promise<number> {
      const body = change.body ?? original.body;
      const headers = { ...original.headers, ...change.headers, 'content-length': String(Buffer.byteLength(body)) };
      return new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/hook', method: 'POST', headers }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
    },
    /** Distinct `webhook-id`s answered with 2xx: what a deduplicating receiver processed. */
    processedIds(): string[] {
      return [...new Set(received.filter((r) => r.status === 200).map((r) => r.headers['webhook-id']!))];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
