// One scenario being run: the sockets by name, the addresses they bound, and how addresses are named
// in the trace (by the socket that owns them, as the kernel oracle does). Each step is checked against the
// op table (ops.ts) and run by it; what a step raises becomes its result.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { Address, AddressInput } from '../transports/address.js';
import { OSError, ValueError } from '../transports/errors.js';
import type { Socket } from '../transports/socket.js';
import { OPS } from './ops.js';
import { type Json, ScenarioError, type Step, type StepResult, str } from './scenario.js';

/** The state of one run, with ordinary members for the ops to use. */
export class ScenarioRun {
  readonly socks = new Map<string, Socket>();
  readonly bound = new Map<string, Address>();
  readonly #owners = new Map<string, string>();
  /** Sockets whose local address is not known yet (node:net connects on the next tick). */
  #unnoted: string[] = [];
  readonly tmpdir = mkdtempSync(join(tmpdir(), 'switchboard-scenario-'));

  /** Runs one step: its result, or its exception as `{ exc, errno }`; ScenarioError for a malformed step. */
  async step(step: Step): Promise<StepResult> {
    const op = OPS[step.op];
    if (op === undefined) throw new ScenarioError(`unknown op '${step.op}'`);
    const keys = Object.keys(step).filter((k) => k !== 'op' && k !== 'note');
    const missing = op.required.filter((k) => !keys.includes(k));
    const unknown = keys.filter((k) => !op.required.includes(k) && !op.optional.includes(k));
    if (missing.length > 0 || unknown.length > 0) {
      throw new ScenarioError(`op ${step.op}: missing [${missing.join(', ')}], unknown [${unknown.join(', ')}]`);
    }
    this.noteLater();
    try {
      return { ret: await op.run(this, step) };
    } catch (error) {
      if (error instanceof ScenarioError) throw error;
      if (error instanceof OSError) return { exc: error.name, errno: error.code };
      if (error instanceof ValueError) return { exc: 'ValueError' };
      throw error;
    }
  }

  cleanup(): void {
    for (const sock of this.socks.values()) sock.close();
    rmSync(this.tmpdir, { recursive: true, force: true });
  }

  sock(name: string): Socket {
    const sock = this.socks.get(name);
    if (sock === undefined) throw new ScenarioError(`unknown socket name '${name}'`);
    return sock;
  }

  /** The step's socket (its `sock` argument). */
  sockOf(st: Step): Socket {
    return this.sock(str(st, 'sock'));
  }

  newName(name: Json | undefined): string {
    if (typeof name !== 'string' || name === '') throw new ScenarioError('socket names are non-empty strings');
    if (this.socks.has(name)) throw new ScenarioError(`socket name '${name}' already used`);
    return name;
  }

  names(socks: Socket[]): string[] {
    const out: string[] = [];
    for (const [name, sock] of this.socks) if (socks.includes(sock)) out.push(name);
    return out.sort();
  }

  /** The address a step names: `to` (another socket's bound address), `path` (in the temp dir) or `addr`. */
  target(st: Step): AddressInput {
    const keys = ['to', 'addr', 'path'].filter((k) => k in st);
    if (keys.length !== 1) throw new ScenarioError('the step needs exactly one of to/addr/path');
    if ('to' in st) {
      const bound = this.bound.get(str(st, 'to'));
      if (bound === undefined) throw new ScenarioError(`socket '${str(st, 'to')}' has no bound address to use`);
      return bound;
    }
    if ('path' in st) {
      const path = str(st, 'path');
      if (path === '' || path.includes(sep)) throw new ScenarioError('path must be a plain file name');
      return join(this.tmpdir, path);
    }
    const addr = st['addr'];
    if (!Array.isArray(addr) || addr.length !== 2 || typeof addr[0] !== 'string' || typeof addr[1] !== 'number') {
      throw new ScenarioError('addr must be [host, port]');
    }
    return [addr[0], addr[1]];
  }

  /** `name` bound or listens: its address is named after it in the trace from now on. */
  noteBound(name: string): void {
    const addr = this.sock(name).getsockname();
    this.bound.set(name, addr);
    this.#noteOwner(name, addr);
  }

  noteLocal(name: string): void {
    this.#unnoted.push(name);
    this.noteLater();
  }

  /** Notes the local addresses that have become known, in the order the sockets were seen. */
  noteLater(): void {
    this.#unnoted = this.#unnoted.filter((name) => {
      const sock = this.socks.get(name);
      if (sock === undefined || sock.fileno() < 0) return false;
      let addr: Address;
      try {
        addr = sock.getsockname();
      } catch {
        return false;
      }
      if (Array.isArray(addr) && addr[1] === 0) return true;
      this.#noteOwner(name, addr);
      return false;
    });
  }

  renderAddr(addr: Address): Json {
    this.noteLater();
    const owner = this.#owners.get(addrKey(addr));
    if (owner !== undefined) return { sock: owner };
    if (Array.isArray(addr)) return { host: addr[0], port: addr[1] === 0 ? 0 : '*' };
    if (addr === '') return { path: '' };
    if (typeof addr === 'string' && addr.startsWith(this.tmpdir + sep)) return { path: relative(this.tmpdir, addr) };
    return { path: String(addr) };
  }

  #noteOwner(name: string, addr: Address): void {
    if (addr === '' || (Array.isArray(addr) && addr[1] === 0)) return;
    const key = addrKey(addr);
    if (!this.#owners.has(key)) this.#owners.set(key, name);
  }
}

function addrKey(addr: Address): string {
  return Array.isArray(addr) ? `ip ${String(addr[0])} ${String(addr[1])}` : `unix ${String(addr)}`;
}
