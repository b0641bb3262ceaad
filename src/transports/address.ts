// Socket addresses as Python spells them: [host, port] for IPv4, [host, port, flowinfo, scopeId]
// for IPv6, a path string for AF_UNIX ('' when unnamed). Resolution that needs no waiting lives here.
import { isIPv4, isIPv6 } from 'node:net';
import { AF_INET, AF_INET6, AF_UNIX, type AddressFamily } from './constants.js';
import { ValueError } from './errors.js';
import type { Address, IPv4Address, IPv6Address } from '../contract/address.js';

export type { Address, IPv4Address, IPv6Address } from '../contract/address.js';

/**
 * The address type of a family, so `getsockname()` of a `Socket<typeof AF_INET>` is an IPv4Address
 * and its port needs no cast: IPv4Address, IPv6Address, a path string, or Address for any family.
 */
export type AddressOf<F extends AddressFamily> = [F] extends [typeof AF_INET]
  ? IPv4Address
  : [F] extends [typeof AF_INET6]
    ? IPv6Address
    : [F] extends [typeof AF_UNIX]
      ? string
      : Address;

/**
 * What `bind` and `connect` take: `[host, port]` (IPv6 also with flowinfo and scope id) or an AF_UNIX
 * path. A host may be numeric, `''` (any address), `'localhost'`, or (connect only) a name to resolve.
 */
export type AddressInput = readonly [string, number] | readonly [string, number, number, number] | string;

/** A host and port checked for shape, before resolution. */
export interface IpEndpoint {
  /** As given: numeric, `''`, `'localhost'` or a name. */
  readonly host: string;
  /** 0-65535; 0 lets the kernel pick. */
  readonly port: number;
}

/** The address as the family's getsockname() would show it. */
export function formatAddress(family: AddressFamily, host: string, port: number): Address {
  return family === AF_INET6 ? [host, port, 0, 0] : [host, port];
}

/** The address of a socket with no name yet: `['0.0.0.0', 0]`, `['::', 0, 0, 0]` or `''`, as Linux reports it. */
export function unnamedAddress(family: AddressFamily): Address {
  return UNNAMED[family];
}

const UNNAMED: Readonly<Record<AddressFamily, Address>> = { [AF_INET]: ['0.0.0.0', 0], [AF_INET6]: ['::', 0, 0, 0], [AF_UNIX]: '' };
const FAMILY_NAMES: Readonly<Record<AddressFamily, string>> = { [AF_INET]: 'AF_INET', [AF_INET6]: 'AF_INET6', [AF_UNIX]: 'AF_UNIX' };

/** Checks the shape of an IP address argument and returns host and port as given; TypeError or RangeError if malformed. */
export function ipEndpoint(family: AddressFamily, address: AddressInput): IpEndpoint {
  if (typeof address === 'string' || !Array.isArray(address)) {
    throw new TypeError(`${familyName(family)} address must be a [host, port] tuple`);
  }
  const [host, port] = address;
  if (typeof host !== 'string') throw new TypeError('host must be a string');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be 0-65535, got ${String(port)}`);
  }
  return { host, port };
}

/** The path of an AF_UNIX address argument; TypeError if it is not a string. */
export function unixPath(address: AddressInput): string {
  if (typeof address !== 'string') throw new TypeError('AF_UNIX address must be a path string');
  return address;
}

/**
 * The numeric host for a name that needs no lookup ('' is the any-address, 'localhost' loopback),
 * or undefined when resolving it would mean waiting (use `await getaddrinfo()` first).
 */
export function numericHost(family: AddressFamily, host: string): string | undefined {
  if (host === '') return family === AF_INET6 ? '::' : '0.0.0.0';
  if (host === 'localhost') return family === AF_INET6 ? '::1' : '127.0.0.1';
  if (family === AF_INET && isIPv4(host)) return host;
  if (family === AF_INET6 && isIPv6(host)) return host;
  return undefined;
}

/** Throws ValueError for a numeric host of the other family: it is not a name to look up, and Python raises for it at once too. */
export function checkHostFamily(family: AddressFamily, host: string): void {
  if (family === AF_INET && isIPv6(host)) throw new ValueError(`AF_INET address must be IPv4, got '${host}'`);
  if (family === AF_INET6 && isIPv4(host)) throw new ValueError(`AF_INET6 address must be IPv6, got '${host}'`);
}

/** True for the any-address of either family (`'0.0.0.0'`, `'::'`). */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** The constant's name (`'AF_INET6'`), for error messages. */
export function familyName(family: AddressFamily): string {
  return FAMILY_NAMES[family];
}

/** A readable form for messages and logs: `127.0.0.1:80`, `[::1]:80`, or the path. */
export function addressText(address: Address): string {
  if (typeof address === 'string') return address === '' ? '(unnamed)' : address;
  const [host, port] = address;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
