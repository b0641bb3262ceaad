// The kernel's buffer limits, read once from /proc as Linux applies them to SO_SNDBUF/SO_RCVBUF and
// to TCP's send-buffer autotuning. Elsewhere (no /proc), Linux's stock values stand in.
import { readFileSync } from 'node:fs';

/** The limits that shape SO_SNDBUF, SO_RCVBUF and the send room of a TCP socket. */
export interface BufferLimits {
  /** net.core.wmem_max: the largest SO_SNDBUF a setsockopt may ask for (before doubling). */
  readonly wmemMax: number;
  /** net.core.rmem_max: the largest SO_RCVBUF a setsockopt may ask for (before doubling). */
  readonly rmemMax: number;
  /** net.ipv4.tcp_wmem[2]: how far TCP autotunes a send buffer whose SO_SNDBUF was not set. */
  readonly tcpWmemMax: number;
}

/** Linux's defaults where /proc cannot be read. */
const STOCK_LIMITS: BufferLimits = { wmemMax: 212992, rmemMax: 212992, tcpWmemMax: 4194304 };

let cached: BufferLimits | null = null;

/** The limits of this machine, read on first use (a sysctl changed later is not seen). */
export function bufferLimits(): BufferLimits {
  cached ??= {
    wmemMax: readSysctl('/proc/sys/net/core/wmem_max', 0) ?? STOCK_LIMITS.wmemMax,
    rmemMax: readSysctl('/proc/sys/net/core/rmem_max', 0) ?? STOCK_LIMITS.rmemMax,
    tcpWmemMax: readSysctl('/proc/sys/net/ipv4/tcp_wmem', 2) ?? STOCK_LIMITS.tcpWmemMax,
  };
  return cached;
}

/** Field `index` of a whitespace-separated /proc file, or null if absent or not a positive number. */
function readSysctl(path: string, index: number): number | null {
  try {
    const value = Number(readFileSync(path, 'utf8').trim().split(/\s+/)[index]);
    return Number.isSafeInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}
