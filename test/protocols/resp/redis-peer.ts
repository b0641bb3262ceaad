// Test kit for talking to RESP servers the way a client does: a real redis-server started on a
// free port (killed by PID at the end), our server (also one that restarts on its port), and a raw
// connection that sends bytes and reads back whole replies (RESP2 and RESP3, cut by
// switchboard/testing's respReplyEnd). Used by the differential, client and reliability tests.
import type { ExecutionContext } from 'ava';
import { type ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import { SelectorReactor } from '../../../src/reactor/selector-reactor.js';
import { type RespFactory, respFactory } from '../../../src/protocols/resp/resp-server.js';
import { type ListeningPort, listenTCP } from '../../../src/transports/endpoints.js';
import { respReplyEnd } from '../../../src/testing/resp-client.js';
import { serveForTest } from '../../helpers/reactor-server.js';

/** A free TCP port on 127.0.0.1 (bound then released: the caller binds it right away). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new TypeError('Expected a TCP address');
  return address.port;
}

/** A redis-server process for one test. */
export interface RedisServer {
  readonly port: number;
  readonly process: ChildProcess;
  /** Stops it by its PID and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `redis-server --port N --save '' --appendonly no` on a free port and resolves once it
 * accepts connections; stopped at the end of the test. Fails the test with what to install when
 * redis-server is missing.
 */
export async function startRedisServer(t: ExecutionContext): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  t.teardown(stop);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.once('error', (error) => reject(new Error(`redis-server could not start (${error.message}): install it with apt-get install redis-server`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${String(code)}: ${output}`)));
    child.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
  });
  return { port, process: child, stop };
}

/** Our server on a free port, with a running reactor, stopped at the end of the test; returns the port. */
export async function startSwitchboardResp(t: ExecutionContext): Promise<number> {
  let close = (): void => {};
  const server = await serveForTest((scheduler) => {
    const factory = respFactory({ scheduler });
    close = () => factory.server.close();
    return factory;
  });
  t.teardown(async () => {
    close();
    await server.stop();
  });
  return server.port;
}

/**
 * Our server on one port that can be restarted as a process restart would: stop() closes the
 * listener and every connection and forgets the keys; start() listens on the same port again with
 * an empty keyspace. Stopped for good at the end of the test.
 */
export class RestartableResp {
  readonly #reactor = new SelectorReactor();
  readonly #running: Promise<void>;
  #listening: ListeningPort | undefined;
  #factory: RespFactory | undefined;
  #port = 0;

  private constructor(t: ExecutionContext) {
    this.#running = this.#reactor.run();
    t.teardown(async () => {
      this.stop();
      this.#reactor.stop();
      await this.#running;
    });
  }

  /** Starts it on a free port. */
  static async start(t: ExecutionContext): Promise<RestartableResp> {
    const server = new RestartableResp(t);
    await server.start();
    return server;
  }

  get port(): number {
    return this.#port;
  }

  /** Listens on the same port as before (the first time: a free one) with a fresh keyspace. */
  async start(): Promise<void> {
    const factory = respFactory({ scheduler: { callLater: (seconds, fn) => this.#reactor.callLater(seconds, fn) } });
    this.#factory = factory;
    this.#listening = await listenTCP(this.#reactor, this.#port, factory, { host: '127.0.0.1' });
    const address = this.#listening.address;
    if (typeof address === 'string') throw new TypeError(`Expected a TCP address, got ${address}`);
    this.#port = address[1];
  }

  /** Closes the listener and every connection, as a server that exits. */
  stop(): void {
    this.#listening?.stopListening();
    this.#listening?.closeConnections();
    this.#listening = undefined;
    this.#factory?.server.close();
    this.#factory = undefined;
  }
}

/** A raw client connection: send bytes, read back a given number of whole replies. */
export class RawConnection {
  readonly #socket: net.Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #waiter: (() => void) | undefined;
  #error: Error | undefined;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', (data: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? data : Buffer.concat([this.#buffer, data]);
      this.#waiter?.();
    });
    socket.on('error', (error) => {
      this.#error = error;
      this.#waiter?.();
    });
    socket.on('close', () => {
      this.#error ??= new Error('The server closed the connection');
      this.#waiter?.();
    });
  }

  /** Connects to 127.0.0.1:`port`. */
  static async open(port: number): Promise<RawConnection> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawConnection(socket);
  }

  /** Sends `data` (one write) and resolves with the next `count` replies, each whole. */
  async request(data: Buffer, count: number): Promise<Buffer[]> {
    this.#socket.write(data);
    const replies: Buffer[] = [];
    let at = 0;
    for (;;) {
      while (replies.length < count) {
        const end = respReplyEnd(this.#buffer, at);
        if (end < 0) break;
        replies.push(this.#buffer.subarray(at, end));
        at = end;
      }
      if (replies.length === count) {
        this.#buffer = this.#buffer.subarray(at);
        return replies;
      }
      if (this.#error !== undefined) throw this.#error;
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
      this.#waiter = undefined;
    }
  }

  close(): void {
    this.#socket.destroy();
  }
}
