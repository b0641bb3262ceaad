// `--proxy-protocol`, `--proxy-from` and `--proxy-timeout`: the PROXY protocol layer in front of a
// server's factory, and who may send a header (the balancers; loopback by default, so that nobody
// else can claim to speak for a client).
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { Address, Factory } from '../contract/index.js';
import { type PeerAdmission, withProxyProtocol } from '../protocols/proxy/index.js';
import type { Scheduler } from '../protocols/scheduler.js';
import { type FlagValues, UsageError, intFlag, stringFlag } from './flags.js';

/** The balancers allowed without --proxy-from: loopback only. */
const DEFAULT_PROXY_FROM = '127.0.0.0/8,::1';

/** True when --proxy-protocol was given. */
export const isProxyProtocol = (flags: FlagValues): boolean => flags['proxy-protocol'] === true;

/**
 * The allowed sources of --proxy-from: comma-separated addresses or CIDR prefixes (`10.0.0.5`,
 * `10.0.0.0/8`, `fd00::/8`). Throws UsageError for anything else. An IPv4-mapped IPv6 peer
 * (`::ffff:10.0.0.5`) is matched as its IPv4 address.
 */
export function allowedSources(flags: FlagValues): (host: string) => boolean {
  const list = new BlockList();
  for (const entry of (stringFlag(flags, 'proxy-from') ?? DEFAULT_PROXY_FROM).split(',')) {
    const [address = '', prefix, ...rest] = entry.trim().split('/');
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    const bits = prefix === undefined ? undefined : Number(prefix);
    if (type === undefined || rest.length > 0 || (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= (type === 'ipv4' ? 32 : 128) && /^\d+$/.test(prefix ?? '')))) {
      throw new UsageError(`--proxy-from takes numeric addresses or CIDR prefixes separated by commas, got '${entry}'`);
    }
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return (host) => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host)?.[1];
    const address = mapped ?? host;
    if (isIPv4(address)) return list.check(address, 'ipv4');
    return isIPv6(address) && list.check(address, 'ipv6');
  };
}

/** Counts connections per client in this process (the per-peer limit behind a PROXY header, without --workers). */
export class LocalPeerLimit implements PeerAdmission {
  readonly #max: number;
  readonly #counts = new Map<string, number>();

  constructor(max: number) {
    this.#max = max;
  }

  admit(peer: Address, decide: (isAdmitted: boolean) => void): void {
    const host = hostOf(peer);
    const count = this.#counts.get(host) ?? 0;
    if (count >= this.#max) {
      decide(false);
      return;
    }
    this.#counts.set(host, count + 1);
    decide(true);
  }

  release(peer: Address): void {
    const host = hostOf(peer);
    const left = (this.#counts.get(host) ?? 1) - 1;
    if (left > 0) this.#counts.set(host, left);
    else this.#counts.delete(host);
  }
}

const hostOf = (peer: Address): string => (typeof peer === 'string' ? peer : peer[0]);

/** Puts a factory behind the PROXY protocol; `admission` counts --max-connections-per-peer for the client. */
export type ProxyLayer = (factory: Factory, admission: PeerAdmission | undefined) => Factory;

/**
 * The PROXY protocol layer the flags ask for, or undefined without --proxy-protocol. Checks
 * --proxy-from now (UsageError), so a bad list fails at start.
 */
export function proxyLayerFromFlags(flags: FlagValues, scheduler: Scheduler): ProxyLayer | undefined {
  if (!isProxyProtocol(flags)) return undefined;
  const isAllowedSource = allowedSources(flags);
  const timeout = intFlag(flags, 'proxy-timeout');
  return (factory, admission) =>
    withProxyProtocol(factory, {
      scheduler,
      isAllowedSource,
      ...(timeout === undefined ? {} : { timeout }),
      ...(admission === undefined ? {} : { admission }),
      onRejected: (reason) => process.stderr.write(`switchboard serve: ${reason.message}\n`),
    });
}
