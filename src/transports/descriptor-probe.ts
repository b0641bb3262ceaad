// Whether this process can open one more file descriptor. libuv hides EMFILE on accept: it closes
// a spare descriptor, accepts every pending connection and closes it at once (uv__emfile_trick),
// and node:net hears nothing. Trying to take a descriptor is the one way left to know the table is full.
import { closeSync, openSync } from 'node:fs';

/** The descriptor-shortage codes accept() fails with: per process and system-wide. */
export type DescriptorShortage = 'EMFILE' | 'ENFILE';

let isProbeUsable = true;

/** 'EMFILE' or 'ENFILE' when no descriptor can be opened now; undefined when one can (or we cannot tell). */
export function descriptorShortage(): DescriptorShortage | undefined {
  if (!isProbeUsable) return undefined;
  try {
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
