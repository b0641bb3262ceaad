// switchboard reaches Node's libuv handles through process.binding (deprecated, DEP0111): only when
// a TCP or Unix socket first needs one, and with a clear OSError where a Node refuses it (the
// permission model does, on Node 20 as --experimental-permission, from Node 22 as --permission).
// Run by whichever Node runs the suite (.ci/node-versions.sh runs it on 20, 24 and 26).
import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const INDEX = fileURLToPath(new URL('../../src/index.js', import.meta.url));
const run = promisify(execFile);
const major = Number(process.versions.node.split('.')[0]);
const permission = major >= 22 ? '--permission' : '--experimental-permission';

const SCRIPT = `
import { AF_INET, AF_UNIX, OSError, socket, socketpair } from ${JSON.stringify(INDEX)};
const [a, b] = socketpair();
a.send(Buffer.from('pair'));
const lines = ['socketpair ' + b.recv(4).toString()];
for (const [family, address] of [[AF_INET, ['127.0.0.1', 0]], [AF_UNIX, '/tmp/switchboard-denied.sock']]) {
  try {
    socket(family).bind(address);
    lines.push('bound');
  } catch (error) {
    lines.push(error instanceof OSError ? error.code + ' ' + error.message : 'not an OSError: ' + String(error));
  }
}
process.stdout.write(lines.join('\\n') + '\\n');
`;

test(`under ${permission} (Node ${major}), switchboard imports, socketpair works, and bind() says why it cannot`, async (t) => {
  const { stdout } = await run(process.execPath, [permission, '--allow-fs-read=*', '--no-warnings', '--input-type=module', '-e', SCRIPT], { timeout: 30000 });
  const [pair, tcp, unix] = stdout.trim().split('\n');
  t.is(pair, 'socketpair pair');
  const refusal = (wrap: string): string =>
    `ENOSYS TCP and Unix sockets need Node's libuv handles through process.binding('${wrap}') (deprecated, DEP0111), which this Node refuses: ERR_ACCESS_DENIED: process.binding (the permission model, --permission, blocks it)`;
  t.is(tcp, refusal('tcp_wrap'));
  t.is(unix, refusal('pipe_wrap'));
});

test(`importing switchboard touches no deprecated API (Node ${major}, --pending-deprecation --throw-deprecation)`, async (t) => {
  const script = `import(${JSON.stringify(INDEX)}).then(() => setTimeout(() => process.stdout.write('imported\\n'), 10));`;
  const { stdout, stderr } = await run(process.execPath, ['--pending-deprecation', '--throw-deprecation', '-e', script], { timeout: 30000 });
  t.is(stdout, 'imported\n');
  t.is(stderr, '');
});
