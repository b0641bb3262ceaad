// Replays kernel scenarios (test/fixtures/kernel/scenarios) against switchboard's sockets and select(),
// producing traces in exactly the format the kernel oracle (the Python script that recorded
// test/fixtures/kernel on Linux) prints for the real kernel, so the two diff.
// It follows the format op by op, so any new scenario file runs without code changes here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { crc32 } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { select } from '../reactor/select.js';
import { Socket } from '../transports/socket.js';
import type { Address, AddressInput } from '../transports/address.js';
import * as C from '../transports/constants.js';
import { BlockingIOError, OSError, ValueError, codeOf } from '../transports/errors.js';

/** A JSON value, as scenario files and traces hold them. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** One step of a scenario: the operation (`socket`, `bind`, `send`, `select` ...) and its arguments. */
export type Step = { readonly op: string; readonly [key: string]: Json };
/** A scenario file, as the kernel oracle reads it (test/fixtures/kernel/scenarios). */
export interface Scenario {
  /** The file's name without `.json`. */
  readonly id: string;
  /** What the scenario shows, in words. */
  readonly title: string;
  /** Labels, such as `beyond-node` for a case node:net cannot express. */
  readonly tags?: readonly string[];
  /** What the machine must have for it to run (e.g. IPv6 loopback). */
  readonly requires?: readonly string[];
  /** The operations, run in order. */
  readonly steps: readonly Step[];
}
/** What one step did: returned a value (`ret`), or raised (`exc`, the Python class name, with the errno code). */
export type StepResult = { ret: Json } | { exc: string; errno?: string };
/** One line of a trace, as the kernel oracle prints it for the real kernel. */
export interface TraceEntry {
  /** The step's index in the scenario, from 0. */
  step: number;
  /** The step's op. */
  op: string;
  /** What it did. */
  result: StepResult;
}

/** The scenario is malformed or cannot be run: not an outcome to record. */
export class ScenarioError extends Error {
  /** `'ScenarioError'`. */
  override name = 'ScenarioError';
}

const OPS: Readonly<Record<string, readonly [required: readonly string[], optional: readonly string[]]>> = {
  socket: [['name'], ['family']],
  socketpair: [['names'], []],
  bind: [['sock'], ['addr', 'path', 'to']],
  listen: [['sock', 'backlog'], []],
  setblocking: [['sock', 'flag'], []],
  connect: [['sock'], ['to', 'addr', 'path']],
  connect_ex: [['sock'], ['to', 'addr', 'path']],
  accept: [['sock', 'as'], []],
  send: [['sock'], ['data', 'hex', 'size']],
  recv: [['sock', 'n'], []],
  shutdown: [['sock', 'how'], []],
  close: [['sock'], []],
  setsockopt: [['sock', 'opt'], ['value']],
  getsockopt: [['sock', 'opt'], []],
  getsockname: [['sock'], []],
  getpeername: [['sock'], []],
  select: [['timeout'], ['r', 'w', 'x']],
  fill: [['sock'], []],
  drain: [['sock'], ['count']],
  sleep: [['seconds'], []],
};

const FAMILIES: Readonly<Record<string, C.AddressFamily>> = { inet: C.AF_INET, inet6: C.AF_INET6, unix: C.AF_UNIX };
const SHUT: Readonly<Record<string, number>> = { SHUT_RD: C.SHUT_RD, SHUT_WR: C.SHUT_WR, SHUT_RDWR: C.SHUT_RDWR };
const OPTIONS: Readonly<Record<string, readonly [number, number]>> = {
  SO_LINGER_ZERO: [C.SOL_SOCKET, C.SO_LINGER],
  SO_REUSEADDR: [C.SOL_SOCKET, C.SO_REUSEADDR],
  SO_KEEPALIVE: [C.SOL_SOCKET, C.SO_KEEPALIVE],
  SO_RCVBUF: [C.SOL_SOCKET, C.SO_RCVBUF],
  SO_SNDBUF: [C.SOL_SOCKET, C.SO_SNDBUF],
  TCP_NODELAY: [C.IPPROTO_TCP, C.TCP_NODELAY],
  SO_ERROR: [C.SOL_SOCKET, C.SO_ERROR],
  SO_ACCEPTCONN: [C.SOL_SOCKET, C.SO_ACCEPTCONN],
  SO_TYPE: [C.SOL_SOCKET, C.SO_TYPE],
};
const BOOLEAN_OPTIONS = new Set(['SO_REUSEADDR', 'SO_KEEPALIVE', 'TCP_NODELAY']);
const INLINE_BYTES_LIMIT = 256;
const FILL_CHUNK = 65536;
const FILL_SETTLE_S = 0.05;
const FILL_MAX_ROUNDS = 200;
const DRAIN_CHUNK = 65536;

/** Checks a parsed scenario file the way the kernel oracle's load_scenario does. */
export function validateScenario(value: unknown, fileId: string): Scenario {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ScenarioError('a scenario is a JSON object');
  const doc = value as Record<string, unknown>;
  for (const key of ['id', 'title', 'steps']) if (!(key in doc)) throw new ScenarioError(`missing '${key}'`);
  const unknown = Object.keys(doc).filter((k) => !['id', 'title', 'tags', 'requires', 'description', 'steps'].includes(k));
  if (unknown.length > 0) throw new ScenarioError(`unknown keys ${unknown.join(', ')}`);
  if (doc['id'] !== fileId) throw new ScenarioError(`file name must be <id>.json (id is '${String(doc['id'])}')`);
  const steps = doc['steps'];
  if (!Array.isArray(steps)) throw new ScenarioError('steps must be a list');
  steps.forEach((step: unknown, i) => {
    const op = typeof step === 'object' && step !== null ? (step as Record<string, unknown>)['op'] : undefined;
    if (typeof op !== 'string' || !(op in OPS)) throw new ScenarioError(`step ${i}: unknown op '${String(op)}'`);
  });
  for (const req of (doc['requires'] as unknown[] | undefined) ?? []) {
    if (req !== 'ipv6') throw new ScenarioError(`unknown requirement '${String(req)}'`);
  }
  // Validated above, key by key: the rest of the shape is checked per step as the steps run.
  return doc as unknown as Scenario;
}

/** True when ::1 can be bound here, as the kernel oracle decides the `ipv6` requirement. */
export function ipv6LoopbackAvailable(): boolean {
  const probe = new Socket(C.AF_INET6);
  try {
    probe.bind(['::1', 0]);
    return true;
  } catch {
    return false;
  } finally {
    probe.close();
  }
}

/**
 * Runs every step of a validated scenario on fresh switchboard sockets and resolves with its trace;
 * closes what it opened either way. Rejects with ScenarioError (naming the step) for a step it cannot run.
 */
export async function runScenario(scenario: Scenario): Promise<TraceEntry[]> {
  const run = new Run();
  const trace: TraceEntry[] = [];
  try {
    for (const [i, step] of scenario.steps.entries()) {
      try {
        trace.push({ step: i, op: step.op, result: await run.step(step) });
      } catch (error) {
        if (error instanceof ScenarioError) throw new ScenarioError(`${scenario.id} step ${i}: ${error.message}`);
        throw error;
      }
    }
  } finally {
    run.cleanup();
  }
  return trace;
}

class Run {
  readonly #socks = new Map<string, Socket>();
  readonly #bound = new Map<string, Address>();
  readonly #owners = new Map<string, string>();
  /** Sockets whose local address is not known yet (node:net connects on the next tick). */
  #unnoted: string[] = [];
  readonly #tmpdir = mkdtempSync(join(tmpdir(), 'switchboard-scenario-'));

  async step(step: Step): Promise<StepResult> {
    const [required, optional] = OPS[step.op] ?? [[], []];
    const keys = Object.keys(step).filter((k) => k !== 'op' && k !== 'note');
    const missing = required.filter((k) => !keys.includes(k));
    const unknown = keys.filter((k) => !required.includes(k) && !optional.includes(k));
    if (missing.length > 0 || unknown.length > 0) {
      throw new ScenarioError(`op ${step.op}: missing [${missing.join(', ')}], unknown [${unknown.join(', ')}]`);
    }
    this.#noteLater();
    try {
      return { ret: await this.#op(step) };
    } catch (error) {
      if (error instanceof ScenarioError) throw error;
      if (error instanceof OSError) return { exc: error.name, errno: error.code };
      if (error instanceof ValueError) return { exc: 'ValueError' };
      throw error;
    }
  }

  cleanup(): void {
    for (const sock of this.#socks.values()) sock.close();
    rmSync(this.#tmpdir, { recursive: true, force: true });
  }

  async #op(st: Step): Promise<Json> {
    switch (st.op) {
      case 'socket': {
        const family = FAMILIES[typeof st['family'] === 'string' ? st['family'] : 'inet'];
        if (family === undefined) throw new ScenarioError('family must be one of inet, inet6, unix');
        this.#socks.set(this.#newName(st['name']), new Socket(family));
        return null;
      }
      case 'socketpair': {
        const names = st['names'];
        if (!Array.isArray(names) || names.length !== 2) throw new ScenarioError('socketpair needs names: [A, B]');
        const [a, b] = [this.#newName(names[0]), this.#newName(names[1])];
        const [sa, sb] = Socket.pair();
        this.#socks.set(a, sa);
        this.#socks.set(b, sb);
        return null;
      }
      case 'bind': {
        const name = str(st, 'sock');
        const sock = this.#sock(name);
        sock.bind(this.#target(st));
        this.#bound.set(name, sock.getsockname());
        this.#noteOwner(name, sock.getsockname());
        return null;
      }
      case 'listen': {
        const name = str(st, 'sock');
        const sock = this.#sock(name);
        sock.listen(int(st, 'backlog'));
        this.#bound.set(name, sock.getsockname());
        this.#noteOwner(name, sock.getsockname());
        return null;
      }
      case 'setblocking':
        if (st['flag'] !== false) throw new ScenarioError('scenarios use non-blocking sockets only (flag must be false)');
        this.#sock(str(st, 'sock')).setblocking(false);
        return null;
      case 'connect': {
        const name = str(st, 'sock');
        const target = this.#target(st);
        try {
          this.#sock(name).connect(target);
        } finally {
          this.#noteLocal(name);
        }
        return null;
      }
      case 'connect_ex': {
        const name = str(st, 'sock');
        const rc = this.#sock(name).connectEx(this.#target(st));
        this.#noteLocal(name);
        return rc === 0 ? 0 : codeOf(rc);
      }
      case 'accept': {
        const listener = this.#sock(str(st, 'sock'));
        const as = this.#newName(st['as']);
        const [conn, peer] = listener.accept();
        this.#socks.set(as, conn);
        this.#noteLocal(as);
        return { peer: this.#renderAddr(peer) };
      }
      case 'send': {
        const payload = payloadOf(st);
        const n = this.#sock(str(st, 'sock')).send(payload);
        return n === payload.length ? n : { partial: true };
      }
      case 'recv':
        return renderBytes(this.#sock(str(st, 'sock')).recv(int(st, 'n')));
      case 'shutdown': {
        const how = SHUT[str(st, 'how')];
        if (how === undefined) throw new ScenarioError('how must be one of SHUT_RD, SHUT_RDWR, SHUT_WR');
        this.#sock(str(st, 'sock')).shutdown(how);
        return null;
      }
      case 'close':
        this.#sock(str(st, 'sock')).close();
        return null;
      case 'setsockopt':
        return this.#setsockopt(st);
      case 'getsockopt':
        return this.#getsockopt(st);
      case 'getsockname':
        return this.#renderAddr(this.#sock(str(st, 'sock')).getsockname());
      case 'getpeername':
        return this.#renderAddr(this.#sock(str(st, 'sock')).getpeername());
      case 'select':
        return this.#select(st);
      case 'fill':
        return this.#fill(this.#sock(str(st, 'sock')));
      case 'drain':
        return this.#drain(st);
      case 'sleep':
        await sleep(seconds(st, 'seconds') * 1000);
        return null;
      default:
        throw new ScenarioError(`unknown op '${st.op}'`);
    }
  }

  #setsockopt(st: Step): Json {
    const opt = str(st, 'opt');
    const where = OPTIONS[opt];
    if (where === undefined || ['SO_ERROR', 'SO_ACCEPTCONN', 'SO_TYPE'].includes(opt)) {
      throw new ScenarioError(`setsockopt opt '${opt}' is not one the format allows`);
    }
    const value = st['value'] ?? 1;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new ScenarioError('setsockopt value must be an integer');
    const sock = this.#sock(str(st, 'sock'));
    sock.setsockopt(where[0], where[1], opt === 'SO_LINGER_ZERO' ? [1, 0] : value);
    return null;
  }

  #getsockopt(st: Step): Json {
    const opt = str(st, 'opt');
    const where = OPTIONS[opt];
    if (where === undefined || opt === 'SO_LINGER_ZERO') throw new ScenarioError(`getsockopt opt '${opt}' is not one the format allows`);
    const value = this.#sock(str(st, 'sock')).getsockopt(where[0], where[1]);
    if (opt === 'SO_ERROR') return value === 0 ? 0 : codeOf(value);
    if (opt === 'SO_TYPE') return value === C.SOCK_STREAM ? 'SOCK_STREAM' : value;
    return BOOLEAN_OPTIONS.has(opt) ? (value !== 0 ? 1 : 0) : value;
  }

  async #select(st: Step): Promise<Json> {
    const lists = (['r', 'w', 'x'] as const).map((key) => {
      const names = st[key] ?? [];
      if (!Array.isArray(names)) throw new ScenarioError(`select ${key} must be a list of names`);
      return names.map((n) => this.#sock(String(n)));
    });
    const [r = [], w = [], x = []] = lists;
    const [rr, ww, xx] = await select(r, w, x, seconds(st, 'timeout'));
    return { r: this.#names(rr), w: this.#names(ww), x: this.#names(xx) };
  }

  #names(socks: Socket[]): string[] {
    const out: string[] = [];
    for (const [name, sock] of this.#socks) if (socks.includes(sock)) out.push(name);
    return out.sort();
  }

  async #fill(sock: Socket): Promise<Json> {
    const zeros = Buffer.alloc(FILL_CHUNK);
    for (let round = 0; round < FILL_MAX_ROUNDS; round++) {
      for (let size = FILL_CHUNK; size >= 1; size = Math.floor(size / 2)) {
        try {
          for (;;) sock.send(zeros.subarray(0, size));
        } catch (error) {
          if (!(error instanceof BlockingIOError)) throw error;
        }
      }
      await select([], [sock], [], FILL_SETTLE_S);
      try {
        sock.send(zeros.subarray(0, 1));
      } catch (error) {
        if (error instanceof BlockingIOError) return { stopped: 'EAGAIN' };
        throw error;
      }
    }
    throw new ScenarioError('fill: socket never stopped accepting data');
  }

  #drain(st: Step): Json {
    const sock = this.#sock(str(st, 'sock'));
    const count = st['count'] ?? true;
    if (typeof count !== 'boolean') throw new ScenarioError('drain count must be true or false');
    let total = 0;
    let end: Json = null;
    while (end === null) {
      try {
        const data = sock.recv(DRAIN_CHUNK);
        if (data.length === 0) end = 'EOF';
        total += data.length;
      } catch (error) {
        if (error instanceof BlockingIOError) end = 'EAGAIN';
        else if (total === 0 || !(error instanceof OSError)) throw error;
        else end = { exc: error.name, errno: error.code };
      }
    }
    return count ? { total, end } : { any: total > 0, end };
  }

  #sock(name: string): Socket {
    const sock = this.#socks.get(name);
    if (sock === undefined) throw new ScenarioError(`unknown socket name '${name}'`);
    return sock;
  }

  #newName(name: Json | undefined): string {
    if (typeof name !== 'string' || name === '') throw new ScenarioError('socket names are non-empty strings');
    if (this.#socks.has(name)) throw new ScenarioError(`socket name '${name}' already used`);
    return name;
  }

  #target(st: Step): AddressInput {
    const keys = ['to', 'addr', 'path'].filter((k) => k in st);
    if (keys.length !== 1) throw new ScenarioError('the step needs exactly one of to/addr/path');
    if ('to' in st) {
      const bound = this.#bound.get(str(st, 'to'));
      if (bound === undefined) throw new ScenarioError(`socket '${str(st, 'to')}' has no bound address to use`);
      return bound;
    }
    if ('path' in st) {
      const path = str(st, 'path');
      if (path === '' || path.includes(sep)) throw new ScenarioError('path must be a plain file name');
      return join(this.#tmpdir, path);
    }
    const addr = st['addr'];
    if (!Array.isArray(addr) || addr.length !== 2 || typeof addr[0] !== 'string' || typeof addr[1] !== 'number') {
      throw new ScenarioError('addr must be [host, port]');
    }
    return [addr[0], addr[1]];
  }

  #noteOwner(name: string, addr: Address): void {
    if (addr === '' || (Array.isArray(addr) && addr[1] === 0)) return;
    const key = addrKey(addr);
    if (!this.#owners.has(key)) this.#owners.set(key, name);
  }

  #noteLocal(name: string): void {
    this.#unnoted.push(name);
    this.#noteLater();
  }

  /** Notes the local addresses that have become known, in the order the sockets were seen. */
  #noteLater(): void {
    this.#unnoted = this.#unnoted.filter((name) => {
      const sock = this.#socks.get(name);
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

  #renderAddr(addr: Address): Json {
    this.#noteLater();
    const owner = this.#owners.get(addrKey(addr));
    if (owner !== undefined) return { sock: owner };
    if (Array.isArray(addr)) return { host: addr[0], port: addr[1] === 0 ? 0 : '*' };
    if (addr === '') return { path: '' };
    if (typeof addr === 'string' && addr.startsWith(this.#tmpdir + sep)) return { path: relative(this.#tmpdir, addr) };
    return { path: String(addr) };
  }
}

function addrKey(addr: Address): string {
  return Array.isArray(addr) ? `ip ${String(addr[0])} ${String(addr[1])}` : `unix ${String(addr)}`;
}

function payloadOf(st: Step): Buffer {
  const kinds = ['data', 'hex', 'size'].filter((k) => k in st);
  if (kinds.length !== 1) throw new ScenarioError('send needs exactly one of data/hex/size');
  if ('data' in st) return Buffer.from(str(st, 'data'), 'utf8');
  if ('hex' in st) {
    const hex = str(st, 'hex');
    if (!/^([0-9a-fA-F]{2})*$/.test(hex.replace(/\s/g, ''))) throw new ScenarioError('hex must be a string of hex digits');
    return Buffer.from(hex.replace(/\s/g, ''), 'hex');
  }
  const size = int(st, 'size');
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = i % 251;
  return out;
}

/** Bytes as a trace shows them: printable ASCII as text, else `{ hex }`, and over 256 bytes `{ len, crc32 }`. */
export function renderBytes(data: Buffer): Json {
  if (data.length <= INLINE_BYTES_LIMIT) {
    if (data.every((c) => c >= 32 && c < 127)) return data.toString('latin1');
    return { hex: data.toString('hex') };
  }
  return { len: data.length, crc32: (crc32(data) >>> 0).toString(16).padStart(8, '0') };
}

function str(st: Step, key: string): string {
  const value = st[key];
  if (typeof value !== 'string') throw new ScenarioError(`${key} must be a string`);
  return value;
}

function int(st: Step, key: string): number {
  const value = st[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new ScenarioError(`${key} must be an integer >= 0`);
  return value;
}

function seconds(st: Step, key: string): number {
  const value = st[key];
  if (typeof value !== 'number' || value < 0) throw new ScenarioError(`${key} must be a number of seconds >= 0`);
  return value;
}
