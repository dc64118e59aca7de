import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * PGlite is PostgreSQL in this process: nothing stops a second process from opening the same
 * folder, and what one writes the other never sees (or overwrites). So whichever process opens
 * the embedded folder (server, import, seed, migrate, apikey) holds `<folder>.lock` while it
 * does, and a second one refuses at once, naming the holder.
 *
 * The lock file is created complete and atomically (written under a temporary name, then
 * hard-linked to its name: link fails when the name exists). It records the holder's PID and
 * the kernel's start time of that PID, so a lock left by a killed process is recognised as
 * stale (no such process, or the PID now belongs to a process started later) and taken over.
 */

export interface LockHolder {
  pid: number;
  /** Linux: field 22 of /proc/<pid>/stat (clock ticks since boot); null elsewhere. */
  startTicks: number | null;
  /** What the holder is, for the message: "server", "import", … */
  command: string;
  since: string;
}

/** Raised when another live process holds the folder; its message is the one line to print. */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly holder: LockHolder) {
    super(
      `the embedded database ${dataDir} is in use by process ${holder.pid} (${holder.command}, since ${holder.since}); ` +
        'PGlite allows one process per folder: stop that process first, send CSV files to the running server with ' +
        'the importRecords mutation, or use PostgreSQL (DATABASE_URL) to work from several processes',
    );
  }
}

export function lockFileOf(dataDir: string): string {
  const folder = resolve(dataDir);
  return join(dirname(folder), `${basename(folder)}.lock`);
}

function startTicksOf(pid: number): number | null {
  try {
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The PID was reused by a process started after the holder: the holder is gone.
  if (holder.startTicks !== null) {
    const now = startTicksOf(holder.pid);
    if (now !== null && now !== holder.startTicks) return false;
  }
  return true;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return Number.isInteger(holder.pid) && holder.pid > 0 ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** The name a holder shows: the entry point's file name (main.js -> server). */
function currentCommand(): string {
  const entry = basename(process.argv[1] ?? 'node').replace(/\.[cm]?[jt]s$/, '');
  return entry === 'main' ? 'server' : entry;
}

/**
 * Take the lock of `dataDir` for this process; returns the function that releases it.
 * Throws DataDirLockedError when a live process holds it.
 */
export function lockDataDir(dataDir: string, command = currentCommand()): () => void {
  const file = lockFileOf(dataDir);
  const mine: LockHolder = { pid: process.pid, startTicks: startTicksOf(process.pid), command, since: new Date().toISOString() };
  const text = `${JSON.stringify(mine)}\n`;
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, text, { mode: 0o644 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temporary, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw error;
      }
      const holder = readHolder(file);
      if (holder && isAlive(holder)) throw new DataDirLockedError(dataDir, holder);
      // Stale (its process is gone) or unreadable: take it over. Remove it only if it is still
      // the file just judged stale, so a lock another process has taken meanwhile survives.
      const current = readHolder(file);
      if (!holder || (current?.pid === holder.pid && current.since === holder.since)) {
        try {
          unlinkSync(file);
        } catch {
          // Another process removed it first; the next link decides.
        }
      }
    }
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // already gone
    }
  }

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      // Only our own lock: never remove one another process took over.
      if (readFileSync(file, 'utf8') === text) unlinkSync(file);
    } catch {
      // already gone
    }
  };
  // process.exit() without close (a CLI's error path) still releases it; a kill -9 leaves a stale one.
  process.on('exit', release);
  return release;
}
