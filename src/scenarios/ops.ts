// The scenario ops, one table: each op's required and optional arguments (as the kernel oracle checks them)
// beside what it does on switchboard's sockets, so the format and its implementation cannot drift.
import { setTimeout as sleep } from 'node:timers/promises';
import { select } from '../reactor/select.js';
import * as C from '../transports/constants.js';
import { BlockingIOError, OSError, codeOf } from '../transports/errors.js';
import { Socket } from '../transports/socket.js';
import { type Json, ScenarioError, type Step, int, payloadOf, renderBytes, seconds, str } from './scenario.js';
import type { ScenarioRun } from './scenario-run.js';

/** One op: the arguments it takes and what it does (its return value is the trace's `ret`). */
export interface Op {
  readonly required: readonly string[];
  readonly optional: readonly string[];
  run(run: ScenarioRun, st: Step): Json | Promise<Json>;
}

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
const FILL_CHUNK = 65536;
const FILL_SETTLE_S = 0.05;
const FILL_MAX_ROUNDS = 200;
const DRAIN_CHUNK = 65536;
const TARGET = ['to', 'addr', 'path'];

/** Every op of the format, by name. */
export const OPS: Readonly<Record<string, Op>> = {
  socket: {
    required: ['name'],
    optional: ['family'],
    run(run, st) {
      const family = FAMILIES[typeof st['family'] === 'string' ? st['family'] : 'inet'];
      if (family === undefined) throw new ScenarioError('family must be one of inet, inet6, unix');
      run.socks.set(run.newName(st['name']), new Socket(family));
      return null;
    },
  },
  socketpair: {
    required: ['names'],
    optional: [],
    run(run, st) {
      const names = st['names'];
      if (!Array.isArray(names) || names.length !== 2) throw new ScenarioError('socketpair needs names: [A, B]');
      const [a, b] = [run.newName(names[0]), run.newName(names[1])];
      const [sa, sb] = Socket.pair();
      run.socks.set(a, sa);
      run.socks.set(b, sb);
      return null;
    },
  },
  bind: {
    required: ['sock'],
    optional: TARGET,
    run(run, st) {
      run.sockOf(st).bind(run.target(st));
      run.noteBound(str(st, 'sock'));
      return null;
    },
  },
  listen: {
    required: ['sock', 'backlog'],
    optional: [],
    run(run, st) {
      run.sockOf(st).listen(int(st, 'backlog'));
      run.noteBound(str(st, 'sock'));
      return null;
    },
  },
  setblocking: {
    required: ['sock', 'flag'],
    optional: [],
    run(run, st) {
      if (st['flag'] !== false) throw new ScenarioError('scenarios use non-blocking sockets only (flag must be false)');
      run.sockOf(st).setblocking(false);
      return null;
    },
  },
  connect: {
    required: ['sock'],
    optional: TARGET,
    run(run, st) {
      const target = run.target(st);
      try {
        run.sockOf(st).connect(target);
      } finally {
        run.noteLocal(str(st, 'sock'));
      }
      return null;
    },
  },
  connect_ex: {
    required: ['sock'],
    optional: TARGET,
    run(run, st) {
      const rc = run.sockOf(st).connectEx(run.target(st));
      run.noteLocal(str(st, 'sock'));
      return rc === 0 ? 0 : codeOf(rc);
    },
  },
  accept: {
    required: ['sock', 'as'],
    optional: [],
    run(run, st) {
      const listener = run.sockOf(st);
      const as = run.newName(st['as']);
      const [conn, peer] = listener.accept();
      run.socks.set(as, conn);
      run.noteLocal(as);
      return { peer: run.renderAddr(peer) };
    },
  },
  send: {
    required: ['sock'],
    optional: ['data', 'hex', 'size'],
    run(run, st) {
      const payload = payloadOf(st);
      const n = run.sockOf(st).send(payload);
      return n === payload.length ? n : { partial: true };
    },
  },
  recv: { required: ['sock', 'n'], optional: [], run: (run, st) => renderBytes(run.sockOf(st).recv(int(st, 'n'))) },
  shutdown: {
    required: ['sock', 'how'],
    optional: [],
    run(run, st) {
      const how = SHUT[str(st, 'how')];
      if (how === undefined) throw new ScenarioError('how must be one of SHUT_RD, SHUT_RDWR, SHUT_WR');
      run.sockOf(st).shutdown(how);
      return null;
    },
  },
  close: {
    required: ['sock'],
    optional: [],
    run(run, st) {
      run.sockOf(st).close();
      return null;
    },
  },
  setsockopt: { required: ['sock', 'opt'], optional: ['value'], run: setsockopt },
  getsockopt: { required: ['sock', 'opt'], optional: [], run: getsockopt },
  getsockname: { required: ['sock'], optional: [], run: (run, st) => run.renderAddr(run.sockOf(st).getsockname()) },
  getpeername: { required: ['sock'], optional: [], run: (run, st) => run.renderAddr(run.sockOf(st).getpeername()) },
  select: { required: ['timeout'], optional: ['r', 'w', 'x'], run: selectOp },
  fill: { required: ['sock'], optional: [], run: (run, st) => fill(run.sockOf(st)) },
  drain: { required: ['sock'], optional: ['count'], run: drain },
  sleep: {
    required: ['seconds'],
    optional: [],
    async run(_run, st) {
      await sleep(seconds(st, 'seconds') * 1000);
      return null;
    },
  },
};

function setsockopt(run: ScenarioRun, st: Step): Json {
  const opt = str(st, 'opt');
  const where = OPTIONS[opt];
  if (where === undefined || ['SO_ERROR', 'SO_ACCEPTCONN', 'SO_TYPE'].includes(opt)) {
    throw new ScenarioError(`setsockopt opt '${opt}' is not one the format allows`);
  }
  const value = st['value'] ?? 1;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new ScenarioError('setsockopt value must be an integer');
  run.sockOf(st).setsockopt(where[0], where[1], opt === 'SO_LINGER_ZERO' ? [1, 0] : value);
  return null;
}

function getsockopt(run: ScenarioRun, st: Step): Json {
  const opt = str(st, 'opt');
  const where = OPTIONS[opt];
  if (where === undefined || opt === 'SO_LINGER_ZERO') throw new ScenarioError(`getsockopt opt '${opt}' is not one the format allows`);
  const value = run.sockOf(st).getsockopt(where[0], where[1]);
  if (opt === 'SO_ERROR') return value === 0 ? 0 : codeOf(value);
  if (opt === 'SO_TYPE') return value === C.SOCK_STREAM ? 'SOCK_STREAM' : value;
  return BOOLEAN_OPTIONS.has(opt) ? (value !== 0 ? 1 : 0) : value;
}

async function selectOp(run: ScenarioRun, st: Step): Promise<Json> {
  const lists = (['r', 'w', 'x'] as const).map((key) => {
    const names = st[key] ?? [];
    if (!Array.isArray(names)) throw new ScenarioError(`select ${key} must be a list of names`);
    return names.map((n) => run.sock(String(n)));
  });
  const [r = [], w = [], x = []] = lists;
  const [rr, ww, xx] = await select(r, w, x, seconds(st, 'timeout'));
  return { r: run.names(rr), w: run.names(ww), x: run.names(xx) };
}

/** Sends until the socket stops accepting, then checks it stays full once the kernel settled. */
async function fill(sock: Socket): Promise<Json> {
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

/** Receives until EAGAIN, EOF or an error after some data: the total (or whether any came) and how it ended. */
function drain(run: ScenarioRun, st: Step): Json {
  const sock = run.sockOf(st);
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
