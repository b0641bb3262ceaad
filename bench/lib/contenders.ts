// The servers benchmarks compare, as Contenders: switchboard's own (`switchboard serve`), the
// node:net/node:http baselines in bench/servers/, and the C epoll echo server (the rig's ceiling).
import { join } from 'node:path';
import { SERVERS } from '../../src/cli/servers.js';
import { cBinary } from './c-build.js';
import type { Contender, StartOptions } from './compare.js';
import { CLI, PROFILES_DIR, SERVERS_DIR } from './paths.js';
import { type Launch, type Readiness, startServer } from './processes.js';

export interface ContenderOptions {
  /** Open-file limit for the server's shell (cases with thousands of connections). */
  readonly nofile?: number;
  /** The switchboard CLI to run (default: this checkout's dist/src/cli.js). */
  readonly cli?: string;
}

const launchOf = (command: string, args: readonly string[], start: StartOptions, options: ContenderOptions): Launch => ({
  command,
  args,
  ...(start.cpu === undefined ? {} : { cpu: start.cpu }),
  ...(options.nofile === undefined ? {} : { nofile: options.nofile }),
});

/**
 * `switchboard serve <server> --reactor <reactor>`; with cpuProf, under `node --cpu-prof`, writing
 * bench/results/profiles/<label>.cpuprofile when it exits on SIGTERM.
 */
export function switchboard(name: string, server: string, reactor: 'select' | 'selector', cpuProf: boolean, options: ContenderOptions = {}): Contender {
  const unavailable = SERVERS[server] === undefined ? `not available: 'switchboard serve ${server}' does not exist yet` : undefined;
  return {
    name,
    role: 'candidate',
    ...(unavailable === undefined ? {} : { unavailable }),
    start: (start) => {
      const profile = cpuProf ? ['--cpu-prof', '--cpu-prof-dir', PROFILES_DIR, '--cpu-prof-name', `${start.label}.cpuprofile`] : [];
      const args = [...profile, options.cli ?? CLI, 'serve', server, '--port', '0', '--reactor', reactor];
      return startServer(name, launchOf(process.execPath, args, start, options));
    },
  };
}

/** A baseline server script from bench/servers/ (compiled to dist/bench/servers/). */
export function nodeServer(name: string, role: Contender['role'], script: string, args: readonly string[] = [], options: ContenderOptions = {}): Contender {
  return {
    name,
    role,
    start: (start) => startServer(name, launchOf(process.execPath, [join(SERVERS_DIR, `${script}.js`), ...args], start, options)),
  };
}

/** bench/c/epoll-echo-server.c, built on first use. */
export function cEchoServer(name: string, options: ContenderOptions = {}): Contender {
  return {
    name,
    role: 'headroom',
    start: (start) => startServer(name, launchOf(cBinary('epoll-echo-server'), ['0'], start, options)),
  };
}

/** Any other server, given its launch and how to tell that it is ready. */
export function externalServer(name: string, role: Contender['role'], unavailable: string | undefined, launch: (start: StartOptions) => Promise<{ launch: Launch; ready: Readiness }>): Contender {
  return {
    name,
    role,
    ...(unavailable === undefined ? {} : { unavailable }),
    start: async (start) => {
      const { launch: l, ready } = await launch(start);
      return startServer(name, l, ready);
    },
  };
}

/** The row name of the previous build (`--baseline`), beside the current build's `sb-selector`. */
export const BASELINE_BUILD = 'sb-base';

/**
 * The previous build's `switchboard serve <server> --reactor selector`, when the run was given one
 * (`--baseline <dir>` / SB_BASELINE); else nothing. Listed right after the current build so that both
 * meet the same machine state in each round.
 */
export function baselineBuild(server: string, baselineCli: string | undefined, cpuProf: boolean, options: ContenderOptions = {}): Contender[] {
  if (baselineCli === undefined) return [];
  return [switchboard(BASELINE_BUILD, server, 'selector', cpuProf, { ...options, cli: baselineCli })];
}
