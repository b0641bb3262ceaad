// The emulated kernel's process-wide tables (docs/semantics.md section 1): which switchboard socket listens
// on which TCP address or Unix path, which paths are bound without listening, and which TCP
// addresses are bound (the bind table, for EADDRINUSE). Used only between switchboard sockets of
// this process, so that they behave exactly as on Linux.
import { isWildcard } from '../address.js';

/** What the registry needs to know of a socket; kept abstract so the table has no socket logic. */
export interface Registered {
  /** -1 once the socket closed: a closed owner's table entries are dropped when met. */
  fileno(): number;
}

/** A bound TCP socket as Linux's bind table sees it: the address, SO_REUSEADDR and whether it listens. */
export interface TcpBinding {
  /** The bound socket. */
  readonly owner: Registered;
  /** AF_INET6: its address may cover IPv4 too ('::' or an IPv4-mapped address). */
  readonly isV6: boolean;
  /** The address as the kernel reports it (getsockname), so equal addresses compare equal as text. */
  readonly host: string;
  /** The bound port (never 0: the one the kernel picked). */
  readonly port: number;
  /** SO_REUSEADDR as set now: Linux reads it when the conflict is checked, not when the socket bound. */
  reusesAddress(): boolean;
  /** Whether it listens now: a listener conflicts even with sockets that set SO_REUSEADDR. */
  isListening(): boolean;
}

const tcpListeners = new Map<string, Registered>();
const tcpBindings = new Map<Registered, TcpBinding>();
const unixPaths = new Map<string, { owner: Registered; listening: boolean }>();

function tcpKey(host: string, port: number): string {
  return `${host}\u0000${port}`;
}

/** Records that `owner` listens on host:port (as getsockname reports it), for findTcpListener. */
export function addTcpListener(host: string, port: number, owner: Registered): void {
  tcpListeners.set(tcpKey(host, port), owner);
}

/** Forgets the listener on host:port, if it is still `owner`. */
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

/** Records that `owner` bound `path` (not listening yet): a connect to it is refused at once. */
export function bindUnixPath(path: string, owner: Registered): void {
  unixPaths.set(path, { owner, listening: false });
}

/** Records that `owner` listens on `path`: a connect to it goes through `owner`'s accept queue. */
export function markUnixListening(path: string, owner: Registered): void {
  unixPaths.set(path, { owner, listening: true });
}

/** Forgets `path`, if it is still `owner`'s. */
export function releaseUnixPath(path: string, owner: Registered): void {
  if (unixPaths.get(path)?.owner === owner) unixPaths.delete(path);
}

/** Who bound `path` in this process and whether it listens; undefined for a path no switchboard socket here holds. */
export function findUnixPath(path: string): { owner: Registered; listening: boolean } | undefined {
  return unixPaths.get(path);
}

/** Enters (or replaces) the owner's bound TCP address. */
export function bindTcp(binding: TcpBinding): void {
  tcpBindings.set(binding.owner, binding);
}

/** Takes `owner`'s address out of the bind table (closed, or its port was released). */
export function releaseTcp(owner: Registered): void {
  tcpBindings.delete(owner);
}

/**
 * Linux's bind conflict rule (inet_bind_conflict, without SO_REUSEPORT), checked by bind() and again
 * by listen(): another socket bound to the same port on an overlapping address conflicts, unless both
 * set SO_REUSEADDR and the other one is not listening (tcp-bind-address-in-use). The real kernel cannot
 * apply it to our sockets: libuv sets SO_REUSEADDR on every TCP socket it binds.
 */
export function tcpBindConflict(candidate: TcpBinding): boolean {
  for (const other of tcpBindings.values()) {
    if (other.owner.fileno() < 0) {
      tcpBindings.delete(other.owner);
      continue;
    }
    if (other.owner === candidate.owner || other.port !== candidate.port || !overlaps(candidate, other)) continue;
    if (candidate.reusesAddress() && other.reusesAddress() && !other.isListening()) continue;
    return true;
  }
  return false;
}

/** Two bound addresses on one port collide when equal or when either is a wildcard that covers the other. */
function overlaps(a: TcpBinding, b: TcpBinding): boolean {
  if (a.isV6 && b.isV6) return a.host === b.host || a.host === '::' || b.host === '::';
  const [x, y] = [a.isV6 ? ipv4View(a.host) : a.host, b.isV6 ? ipv4View(b.host) : b.host];
  if (x === undefined || y === undefined) return false;
  return x === y || x === '0.0.0.0' || y === '0.0.0.0';
}

/** What an AF_INET6 address covers of IPv4: all of it for '::' (bindv6only=0), one mapped address, or none. */
function ipv4View(host: string): string | undefined {
  if (host === '::') return '0.0.0.0';
  return host.startsWith('::ffff:') && host.includes('.') ? host.slice(7) : undefined;
}
