import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhookTarget } from './webhook-target.ts';

const EXCERPT_BYTES = 1024;

export interface PostResult {
  statusCode: number;
  /** The start of the response body, for the delivery log; receivers' bodies are not ours to keep whole. */
  excerpt: string;
}

/**
 * POSTs to the checked address, never to a fresh DNS answer: the socket goes
 * to `target.address` while the Host header and TLS name (SNI and certificate
 * check) stay the URL's host. Redirects are not followed (a 3xx is a
 * failure), so a receiver cannot bounce the request into the private network.
 * `timeoutMs` bounds the whole exchange, connect to the last byte of the answer.
 */
export function postToTarget(target: WebhookTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult> {
  const { url } = target;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: target.address,
        servername: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, host: url.host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Embargo-Webhooks' },
        timeout: timeoutMs,
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8') }));
        response.on('error', reject);
      },
    );
    // `timeout` alone is an idle limit: a receiver sending a byte now and then could hold a delivery (and its lease) for ever.
    const deadline = setTimeout(() => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
