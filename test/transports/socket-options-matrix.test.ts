// The option-matrix cells oracle.py cannot express (issue 17): setting the read-only options, an int
// for SO_LINGER, reading SO_LINGER, on every kind of socket. Expected values recorded with CPython on
// Linux 6.x (python3: s.setsockopt(SOL_SOCKET, SO_TYPE, 1) -> OSError ENOPROTOOPT, and so on).
import test from 'ava';
import { AF_INET6, AF_UNIX, IPPROTO_TCP, SOL_SOCKET, SO_ACCEPTCONN, SO_ERROR, SO_LINGER, SO_TYPE, TCP_NODELAY } from '../../src/transports/constants.js';
import { OSError } from '../../src/transports/errors.js';
import { socketpair } from '../../src/transports/socket-module.js';
import type { Socket } from '../../src/transports/socket.js';
import { closing, newSocket, tcpConnection } from '../helpers/sockets.js';

async function everyKind(t: import('ava').ExecutionContext): Promise<Record<string, Socket>> {
  const { client, server } = await tcpConnection(t);
  const listening = newSocket(t);
  listening.bind(['127.0.0.1', 0]);
  listening.listen(1);
  const [a, b] = socketpair();
  closing(t, a);
  closing(t, b);
  return { unconnected: newSocket(t), inet6: newSocket(t, AF_INET6), listening, connected: client, accepted: server, unix: newSocket(t, AF_UNIX), socketpair: a };
}

test('Setting a read-only option is ENOPROTOOPT, and an int for SO_LINGER is EINVAL, on every kind of socket', async (t) => {
  for (const [kind, s] of Object.entries(await everyKind(t))) {
    for (const option of [SO_TYPE, SO_ERROR, SO_ACCEPTCONN]) {
      t.throws(() => s.setsockopt(SOL_SOCKET, option, 1), { instanceOf: OSError, code: 'ENOPROTOOPT' }, `${kind} option ${option}`);
    }
    t.throws(() => s.setsockopt(SOL_SOCKET, SO_LINGER, 1), { instanceOf: OSError, code: 'EINVAL' }, kind);
    t.is(s.getsockopt(SOL_SOCKET, SO_LINGER), 0, kind);
    s.setsockopt(SOL_SOCKET, SO_LINGER, [1, 5]);
    t.is(s.getsockopt(SOL_SOCKET, SO_LINGER), 1, kind);
  }
});

test('AF_UNIX has no protocol level: any IPPROTO_TCP option is EOPNOTSUPP, not ENOPROTOOPT', (t) => {
  const [a] = socketpair();
  closing(t, a);
  for (const s of [newSocket(t, AF_UNIX), a]) {
    t.throws(() => s.getsockopt(IPPROTO_TCP, TCP_NODELAY), { instanceOf: OSError, code: 'EOPNOTSUPP' });
    t.throws(() => s.setsockopt(IPPROTO_TCP, 99, 1), { instanceOf: OSError, code: 'EOPNOTSUPP' });
  }
});

test('Every option of a closed socket is EBADF, got or set', (t) => {
  const s = newSocket(t);
  s.close();
  for (const option of [SO_TYPE, SO_ERROR, SO_ACCEPTCONN, SO_LINGER]) {
    t.throws(() => s.getsockopt(SOL_SOCKET, option), { instanceOf: OSError, code: 'EBADF' });
    t.throws(() => s.setsockopt(SOL_SOCKET, option, 1), { instanceOf: OSError, code: 'EBADF' });
  }
  t.throws(() => s.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1), { instanceOf: OSError, code: 'EBADF' });
});
