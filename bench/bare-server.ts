/**
 * Child process for the public-reads benchmark: a bare Fastify server that
 * answers each path with bytes held in memory, the ceiling for serving them.
 * BENCH_ROUTES_FILE names a JSON list of { path, contentType, body }.
 */
import { readFile } from 'node:fs/promises';
import Fastify from 'fastify';

const routes = JSON.parse(await readFile(process.env.BENCH_ROUTES_FILE!, 'utf8')) as Array<{ path: string; contentType: string; body: string }>;
const app = Fastify({ logger: false });
for (const route of routes) {
  const body = Buffer.from(route.body);
  app.get(route.path, (_request, reply) => reply.type(route.contentType).send(body));
}
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.send!({ url: address });
const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop).once('disconnect', stop);
