import { join } from 'node:path';
import { crashIntakeSuite } from '../support/crash-intake.ts';

crashIntakeSuite({
  kind: 'pglite',
  // PGlite replays its WAL in WebAssembly on every start: slower rounds, so fewer of them in CI.
  rounds: Number(process.env.EMBARGO_CRASH_ROUNDS_PGLITE ?? 3),
  async setUp(dataDir) {
    return { env: {}, target: { kind: 'pglite', dataDir: join(dataDir, 'pglite') } };
  },
});
