// The baseline for the embedded benchmark: a process that opens PGlite on a
// data directory (argv[2]) and answers `select 1`, then reports and waits.
import { PGlite } from '@electric-sql/pglite';

const db = await PGlite.create(process.argv[2]);
await db.query('select 1');
process.stdout.write('ready\n');
process.once('SIGTERM', () => void db.close().then(() => process.exit(0)));
setInterval(() => {}, 1 << 30);
