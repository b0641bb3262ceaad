// A raw node:net client that reads lines, for line-protocol tests (chat): waits for a line matching
// a condition instead of sleeping.
import { connect, type Socket } from 'node:net';

export class LineClient {
  readonly socket: Socket;
  readonly lines: string[] = [];
  closed = false;
  #buffer = '';
  #waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  #closeWaiters: (() => void)[] = [];

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setEncoding('utf8');
    this.socket.on('data', (text: string) => this.#take(text));
    this.socket.on('error', () => {});
    this.socket.on('close', () => {
      this.closed = true;
      for (const w of this.#closeWaiters) w();
    });
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Resolves with the first line (already received or to come) that matches. */
  waitFor(test: string | RegExp): Promise<string> {
    const matches = (line: string): boolean => (typeof test === 'string' ? line === test : test.test(line));
    const seen = this.lines.find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ test: matches, resolve }));
  }

  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.#closeWaiters.push(resolve));
  }

  close(): void {
    this.socket.destroy();
  }

  #take(text: string): void {
    this.#buffer += text;
    for (let nl = this.#buffer.indexOf('\n'); nl >= 0; nl = this.#buffer.indexOf('\n')) {
      const line = this.#buffer.slice(0, nl);
      this.#buffer = this.#buffer.slice(nl + 1);
      this.lines.push(line);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.test(line)) return true;
        w.resolve(line);
        return false;
      });
    }
  }
}
