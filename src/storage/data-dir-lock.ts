import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbargoError } from '../errors.ts';

const LOCK_FILE = 'embargo.pid';

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is an in-process database: two processes opening one data directory
 * would each believe they own it and corrupt it. Like postmaster.pid, a lock
 * file holding the owner's pid keeps a second process (a CLI command while
 * the server runs) out; a lock left by a crashed process is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  try {
    return await takeLock(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EROFS' && code !== 'EACCES' && code !== 'EPERM') throw error;
    // Said plainly here, at start: the embedded database would otherwise fail later, on the first write.
    throw new EmbargoError('database_unavailable', `the data directory ${dataDir} is not writable by this user (${code}): check that it is not on a read-only mount and that this user owns it, then start again`, [], { cause: error });
  }
}

async function takeLock(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner !== process.pid && processIsAlive(owner)) {
      throw new EmbargoError(
        'conflict',
        `the data directory ${dataDir} is in use by process ${owner} (is the server running?). Stop it, or use the HTTP API instead.`,
      );
    }
    await unlink(path).catch(() => undefined);
  }
  throw new EmbargoError('conflict', `could not lock the data directory ${dataDir}`);
}
