import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { postToTarget } from './webhook-http.ts';

describe('webhook POST', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  async function receiverAt(handler: Parameters<typeof createServer>[1]) {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { url: new URL(`http://127.0.0.1:${port}/hook`), address: '127.0.0.1' };
  }

  it('gives up on a receiver that trickles its answer, at the deadline and not only when it falls silent', async () => {
    const target = await receiverAt((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      // A byte every 50 ms: never idle for the 300 ms idle limit, never finished.
      const drip = setInterval(() => response.write('.'), 50);
      response.on('close', () => clearInterval(drip));
    });
    // The trickle never ends on its own, so only the total deadline can end this (the idle timer's message differs).
    await expect(postToTarget(target, {}, '{}', 300)).rejects.toThrow(/no complete answer within 300 ms/);
  });

  it('returns the status and the start of the body of a prompt receiver', async () => {
    const target = await receiverAt((_request, response) => response.writeHead(202).end('x'.repeat(5000)));
    const result = await postToTarget(target, {}, '{}', 2_000);
    expect(result.statusCode).toBe(202);
    expect(result.excerpt).toHaveLength(1024);
  });
});
