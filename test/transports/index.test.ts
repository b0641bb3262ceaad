// The transports layer's public surface exports the socket module's names.
import test from 'ava';
import * as transports from '../../src/transports/index.js';

test('The transports index exports the socket API, its constants and its errors', (t) => {
  for (const name of ['socket', 'socketpair', 'gethostname', 'getaddrinfo', 'Socket', 'SocketFile']) {
    t.is(typeof transports[name as keyof typeof transports], 'function', name);
  }
  t.is(transports.AF_INET, 2);
  t.is(transports.SOL_SOCKET, 1);
  t.true(new transports.BlockingIOError('EAGAIN') instanceof transports.OSError);
  const [a, b] = transports.socketpair();
  t.teardown(() => {
    a.close();
    b.close();
  });
  t.true(a instanceof transports.Socket);
});
