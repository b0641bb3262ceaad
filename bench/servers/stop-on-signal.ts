// Shared by the baseline servers: print the line the harness waits for, and exit 0 on SIGTERM or
// SIGINT, as `switchboard serve` does, so every server in a comparison starts and stops alike.
import type { Server, Socket } from 'node:net';

export function announceAndStopOnSignal(server: Server, sockets: Set<Socket>): void {
  const address = server.address();
  if (typeof address === 'string') process.stdout.write(`listening on unix:${address}:0\n`);
  else process.stdout.write(`listening on 127.0.0.1:${address?.port ?? 0}\n`);
  const stop = (): void => {
    server.close();
    for (const socket of sockets) socket.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Keeps the set of open connections, so that stopping can close them. */
export function tracked(sockets: Set<Socket>, socket: Socket): Socket {
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
  return socket;
}
