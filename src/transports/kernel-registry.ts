// The emulated kernel's process-wide tables (DESIGN.md section 0): which switchboard socket listens
// on which TCP address or Unix path, and which paths are bound without listening. Used only when
// both ends live in this process, so that they behave exactly as on Linux.
import { isWildcard } from './address.js';

/** What the registry needs to know of a socket; kept abstract so the table has no socket logic. */
export interface Registered {
  fileno(): number;
}

const tcpListeners = new Map<string, Registered>();
const unixPaths = new Map<string, { owner: Registered; listening: boolean }>();

function tcpKey(host: string, port: number): string {
  return `${host}\u0000${port}`;
}

export function addTcpListener(host: string, port: number, owner: Registered): void {
  tcpListeners.set(tcpKey(host, port), owner);
}

export function removeTcpListener(host: string, port: number, owner: Registered): void {
  const key = tcpKey(host, port);
  if (tcpListeners.get(key) === owner) tcpListeners.delete(key);
}

/** The in-process listener a connection to host:port reaches: exact address first, then wildcards. */
export function findTcpListener(host: string, port: number): Registered | undefined {
  const exact = tcpListeners.get(tcpKey(host, port));
  if (exact !== undefined || isWildcard(host)) return exact;
  const isV6 = host.includes(':');
  return (
    tcpListeners.get(tcpKey(isV6 ? '::' : '0.0.0.0', port)) ??
    // An AF_INET6 listener on '::' accepts IPv4 too (Linux's default bindv6only=0).
    (isV6 ? undefined : tcpListeners.get(tcpKey('::', port)))
  );
}

export function bindUnixPath(path: string, owner: Registered): void {
  unixPaths.set(path, { owner, listening: false });
}

export function markUnixListening(path: string, owner: Registered): void {
  unixPaths.set(path, { owner, listening: true });
}

export function releaseUnixPath(path: string, owner: Registered): void {
  if (unixPaths.get(path)?.owner === owner) unixPaths.delete(path);
}

export function findUnixPath(path: string): { owner: Registered; listening: boolean } | undefined {
  return unixPaths.get(path);
}
