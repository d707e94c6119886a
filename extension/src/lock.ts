/**
 * A lock file shared by every VS Code window (each its own extension host
 * process) that compacts into the same storage folder. Created with
 * `O_CREAT | O_EXCL` (`wx`), which the file system grants to one process
 * only; it holds the owner's pid and the time it was taken.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';

export interface LockOptions {
  /** Give up after this long, in ms; default 10,000. */
  timeoutMs?: number;
  /** A lock older than this whose owner cannot be asked counts as abandoned; default 60,000 ms. */
  staleMs?: number;
}

/** Whether a process with this pid runs on this machine (a lock of a crashed window has none). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx');
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, at: Date.now(), id: randomUUID() }));
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The holder of a lock, or null when the file vanished or is being written. */
function readHolder(path: string): { pid: number; at: number; text: string } | null {
  try {
    const text = readFileSync(path, 'utf8');
    const { pid, at } = JSON.parse(text) as { pid: number; at: number };
    return { pid, at, text };
  } catch {
    return null;
  }
}

/**
 * Breaks an abandoned lock. Renaming moves exactly one file, so of two
 * processes breaking the same lock at once one gets ENOENT; if the file
 * moved turns out to be a fresh lock someone just took, it is linked back
 * (link fails rather than overwrite).
 */
function breakStale(path: string, seen: string): void {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  const moved = readHolder(aside);
  if (moved && moved.text !== seen) {
    try {
      linkSync(aside, path);
    } catch {
      // someone took the lock meanwhile; the one moved aside was theirs before: nothing better to do
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // already gone
  }
}

function abandoned(path: string, staleMs: number): string | null {
  const holder = readHolder(path);
  if (!holder) {
    // Unreadable: being written this instant, or left half-written by a crash.
    try {
      return Date.now() - statSync(path).mtimeMs > staleMs ? '' : null;
    } catch {
      return null;
    }
  }
  const sameMachineDead = !processAlive(holder.pid);
  return sameMachineDead || Date.now() - holder.at > staleMs ? holder.text : null;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lock at `path`, waiting (with growing pauses) while another
 * process holds it; resolves to the function that releases it. A lock
 * left by a process that no longer runs, or older than `staleMs`, is broken.
 */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<() => void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 60_000;
  const started = Date.now();
  let pause = 5;
  for (;;) {
    if (tryCreate(path)) {
      const mine = readFileSync(path, 'utf8');
      return () => {
        // Only remove our own lock: if it was broken as stale meanwhile, the file is another's.
        if (readHolder(path)?.text === mine) unlinkSync(path);
      };
    }
    const stale = abandoned(path, staleMs);
    if (stale !== null) {
      breakStale(path, stale);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`could not lock ${path} within ${timeoutMs} ms: another VS Code window holds it; the events stay in the journal and are compacted later`);
    }
    await sleep(pause + Math.random() * pause);
    pause = Math.min(pause * 2, 200);
  }
}
