// Whether this process can open one more file descriptor. libuv hides EMFILE on accept: it closes
// a spare descriptor, accepts every pending connection and closes it at once (uv__emfile_trick),
// and node:net hears nothing. Trying to take a descriptor is the one way left to know the table is full.
//
// The try (open and close /dev/null) costs two system calls, some 5% of a connect-and-close
// workload, so it is made only near the limit: the open descriptors are counted (/proc/self/fd)
// and every arrival since is assumed to hold one more, until that estimate comes within MARGIN of
// the soft limit (/proc/self/limits); then they are counted again, and tried for each arrival while
// they really are that close. Descriptors the program opens elsewhere are seen at the next count.
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';

/** The descriptor-shortage codes accept() fails with: per process and system-wide. */
export type DescriptorShortage = 'EMFILE' | 'ENFILE';

/** How close to the soft limit the estimate may come before descriptors are counted and tried. */
const MARGIN = 32;

let isProbeUsable = true;
let softLimit: number | null | undefined;
/** Open descriptors at the last count, plus one per arrival since (an upper bound between counts). */
let estimate = Number.POSITIVE_INFINITY;

/** The soft RLIMIT_NOFILE, or null where /proc does not say (then every arrival is tried). */
function openFileLimit(): number | null {
  if (softLimit !== undefined) return softLimit;
  try {
    const line = readFileSync('/proc/self/limits', 'latin1').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line === undefined ? Number.NaN : Number(line.slice('Max open files'.length).trim().split(/\s+/)[0]);
    softLimit = Number.isSafeInteger(soft) ? soft : null;
  } catch {
    softLimit = null;
  }
  return softLimit;
}

/**
 * 'EMFILE' or 'ENFILE' when no descriptor can be opened now; undefined when one can (or we cannot
 * tell). Call it once per accepted connection.
 */
export function descriptorShortage(): DescriptorShortage | undefined {
  if (!isProbeUsable) return undefined;
  const limit = openFileLimit();
  if (limit !== null) estimate += 1;
  try {
    if (limit !== null && estimate + MARGIN < limit) return undefined;
    // Counting takes a descriptor too (the directory's): failing for want of one is the answer.
    if (limit !== null) estimate = readdirSync('/proc/self/fd').length;
    if (limit !== null && estimate + MARGIN < limit) return undefined;
    closeSync(openSync('/dev/null', 'r'));
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EMFILE' || code === 'ENFILE') return code;
    // No /dev/null here (not a Unix system): say nothing rather than guess, and stop trying.
    isProbeUsable = false;
    return undefined;
  }
}
