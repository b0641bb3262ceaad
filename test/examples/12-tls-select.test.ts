// examples/12-tls-select.ts: the HOWTO's select() loop over TLS, handshakes and pending() included.
import test from 'ava';
import { main } from '../../examples/12-tls-select.js';
import { testCerts } from '../helpers/tls-certs.js';

test('main: 8 TLS clients get their echoes intact from one select() loop that also serves them', async (t) => {
  const certs = testCerts();
  const lines: string[] = [];
  t.true(await main([certs.server.certFile, certs.server.keyFile, certs.caFile, '8'], (line) => lines.push(line)));
  t.deepEqual(lines, ['8 TLS clients through one select() loop; echoes intact']);
});

test('main explains its arguments when they are missing', async (t) => {
  const lines: string[] = [];
  t.false(await main([], (line) => lines.push(line)));
  t.regex(lines[0] ?? '', /^usage: 12-tls-select\.js CERT\.pem KEY\.pem CA\.pem/);
});
