// "Hosts" for the HAProxy recipe test: each a network namespace with its own address, joined to the
// root namespace by a veth pair (as `.ci/run` runs the tests, as root). Names carry a fixed prefix
// and the creating process's pid, so a later run removes what a crashed one left (its pid is dead)
// and never touches a live run's. Where namespaces cannot be made, loopback addresses stand in.
import { execFileSync } from 'node:child_process';

/** Every namespace and interface this helper makes starts with this. */
const PREFIX = 'sbhap';

/** One host: its address, the balancer's address on its link, and how to run a command in it. */
export interface Host {
  readonly name: string;
  /** The host's address (where its server listens). */
  readonly address: string;
  /** The address the balancer's connections come from (for --proxy-from). */
  readonly balancerAddress: string;
  /** The command prefix that runs a program on this host (empty for a loopback stand-in). */
  readonly prefix: readonly string[];
}

/** The hosts made, and whether they are real namespaces or loopback stand-ins. */
export interface Hosts {
  readonly hosts: readonly Host[];
  readonly isolated: boolean;
  /** Why namespaces could not be used (when `isolated` is false). */
  readonly reason?: string;
  /** Removes the namespaces and links (also run on process exit). */
  remove(): void;
}

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes namespaces and links a dead run of this helper left behind. */
export function removeStale(): void {
  let names: string[] = [];
  try {
    names = ip('netns', 'list').split('\n').map((line) => line.split(' ')[0] ?? '');
  } catch {
    return;
  }
  for (const name of names) {
    const pid = new RegExp(`^${PREFIX}-(\\d+)-`).exec(name)?.[1];
    if (pid !== undefined && !isAlive(Number(pid))) tryRun(() => ip('netns', 'delete', name));
  }
}

function tryRun(fn: () => void): void {
  try {
    fn();
  } catch {
    // Already gone.
  }
}

/** Makes `count` hosts as namespaces 10.<n>.<i>.2 behind 10.<n>.<i>.1, or loopback stand-ins if that fails. */
export function makeHosts(count: number): Hosts {
  removeStale();
  const pid = process.pid;
  // A /16 per run, from the pid, so that parallel runs do not share a subnet.
  const net = 100 + (pid % 150);
  const made: string[] = [];
  const remove = (): void => {
    for (const name of made) tryRun(() => ip('netns', 'delete', name));
    made.length = 0;
  };
  process.once('exit', remove);
  try {
    const hosts: Host[] = [];
    for (let i = 1; i <= count; i++) {
      const name = `${PREFIX}-${pid}-h${i}`;
      const outside = `sb${pid % 100000}h${i}`;
      const inside = `sb${pid % 100000}n${i}`;
      ip('netns', 'add', name);
      made.push(name);
      ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
      ip('link', 'set', inside, 'netns', name);
      ip('addr', 'add', `10.${net}.${i}.1/24`, 'dev', outside);
      ip('link', 'set', outside, 'up');
      ip('netns', 'exec', name, 'ip', 'addr', 'add', `10.${net}.${i}.2/24`, 'dev', inside);
      ip('netns', 'exec', name, 'ip', 'link', 'set', inside, 'up');
      ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
      hosts.push({ name, address: `10.${net}.${i}.2`, balancerAddress: `10.${net}.${i}.1`, prefix: ['ip', 'netns', 'exec', name] });
    }
    return { hosts, isolated: true, remove };
  } catch (error) {
    remove();
    const reason = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
    const hosts = Array.from({ length: count }, (_, i) => ({ name: `loopback-${i + 2}`, address: `127.0.0.${i + 2}`, balancerAddress: '127.0.0.1', prefix: [] }));
    return { hosts, isolated: false, reason, remove };
  }
}
