import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * PostgreSQL meets a full disk with an error, or a PANIC and a backend
 * restart when a WAL segment cannot be created. PGlite, its single-process
 * WASM build, cannot restart a backend: after such a failure the next
 * statement spins inside WASM and the whole Node process stops answering,
 * health checks included (seen with PGlite 0.3 on a 64 MB tmpfs). So the
 * embedded engine must not get there: writes are refused while the free space
 * on the data directory's file system is below a floor, raised as the
 * SQLSTATE PostgreSQL itself would use (53100 disk_full), so that it is
 * answered like one. Postgres proper needs none of this.
 */
export class DiskFullError extends Error {
  readonly code = '53100';
}

export interface FreeSpaceGuard {
  /** Resolves when there is room to write; rejects with DiskFullError when there is not. */
  ensureRoomToWrite(): Promise<void>;
}

const MIB = 1024 * 1024;

/** Bytes available to this (unprivileged) process on the file system holding `path`, or its nearest existing ancestor. */
export async function freeBytesAt(path: string): Promise<number> {
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      const stats = await statfs(dir);
      return stats.bavail * stats.bsize;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) throw error;
    }
  }
}

export function diskFullMessage(dir: string, freeBytes: number, minFreeBytes: number): string {
  return `only ${Math.floor(freeBytes / MIB)} MiB free for the embedded database in ${dir}; it needs at least ${Math.ceil(minFreeBytes / MIB)} MiB free to write safely (EMBARGO_MIN_FREE_DISK_MB): free space or move EMBARGO_DATA_DIR`;
}

/**
 * Statements that may grow the database: Kysely's builders and pg-boss start
 * theirs with the verb, or with a CTE ahead of it. Reads (SELECT, including
 * SELECT … FOR UPDATE) and transaction control pass, so reads go on while the
 * disk is full and a refused write fails its transaction as a whole.
 */
export function isWriteStatement(sql: string): boolean {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase();
  if (verb === undefined) return false;
  if (verb === 'with') return /\b(insert|update|delete|merge)\b/i.test(sql);
  return ['insert', 'update', 'delete', 'merge', 'create', 'alter', 'drop', 'truncate', 'copy', 'vacuum', 'cluster', 'reindex', 'refresh'].includes(verb);
}

/** Runs `statement` through `run`, asking `guard` first when it is a write. */
export async function guardedWrite<T>(guard: FreeSpaceGuard, statement: string, run: () => Promise<T>): Promise<T> {
  if (isWriteStatement(statement)) await guard.ensureRoomToWrite();
  return run();
}

/** Checks on every write (statfs is a cheap system call), so a burst of large uploads cannot slip past a cached answer. */
export function freeSpaceGuard(dir: string, minFreeBytes: number): FreeSpaceGuard {
  return {
    async ensureRoomToWrite() {
      const free = await freeBytesAt(dir);
      if (free < minFreeBytes) throw new DiskFullError(diskFullMessage(dir, free, minFreeBytes));
    },
  };
}
