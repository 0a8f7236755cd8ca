import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** The answer given; only 2xx receipts count as processed. */
  status: number;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value].flat().join(', ')]));
}

/**
 * A real HTTP receiver on 127.0.0.1. `failNext(n)` answers the next n
 * requests with 500; `stallNext(n, ms)` takes them in (they count as
 * received) but answers only after `ms`, as a receiver does whose answer the
 * sender never sees.
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let failing = 0;
  let stalling = { count: 0, ms: 0 };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const status = failing > 0 ? 500 : 200;
      if (failing > 0) failing -= 1;
      received.push({ headers: flatHeaders(request.headers), body, status });
      const delay = stalling.count > 0 ? stalling.ms : 0;
      if (stalling.count > 0) stalling = { ...stalling, count: stalling.count - 1 };
      setTimeout(() => response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'receiver broke'), delay).unref();
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
    /** Distinct `webhook-id`s answered with 2xx: what a deduplicating receiver processed. */
    processedIds(): string[] {
      return [...new Set(received.filter((r) => r.status === 200).map((r) => r.headers['webhook-id']!))];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
