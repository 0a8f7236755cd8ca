/**
 * Child process for the HTTP benchmarks: the real server (`startServer`, as
 * `embargo serve` runs it, background work included), configured from the
 * environment. Only the rate limits are lifted past what the config schema
 * accepts, so that a benchmark measures work instead of counting 429s.
 */
import { Writable } from 'node:stream';
import { readConfig } from '../src/config/index.ts';
import { startServer } from '../src/server.ts';

const unlimited = 1_000_000_000;
const config = await readConfig();
const http = { ...config.http, rateLimitPerMinute: unlimited, intakeRateLimitPerMinute: unlimited, intakeProjectRateLimitPerMinute: unlimited };
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
const server = await startServer({ ...config, http }, quiet);
process.send!({ url: server.url, setupUrl: server.setupUrl ?? '' });
const stop = () => void server.close().then(() => process.exit(0));
// Disconnect: the benchmark process died without stopping this one.
process.once('SIGTERM', stop).once('disconnect', stop);
