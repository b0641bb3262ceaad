// What a reader of the chart sees instead of the harness's ids: `sb-selector` and `pp1cpu1` name
// rows and cases in code and in the JSON, a person reads "switchboard, Selector reactor" and
// "50 conn. ping-pong". An id with no entry here is shown as it is (codec and selector rows are
// already words), so a new contender should get a name here.

/** Servers and methods by the id the benchmarks give them. */
export const SERVER_NAMES: Readonly<Record<string, string>> = {
  'node-pipe': 'node:net, pipe()',
  'node-data': "node:net, on('data')",
  'c-epoll': 'C epoll server (headroom)',
  'sb-selector': 'switchboard, Selector reactor',
  'sb-select': 'switchboard, select() reactor',
  'sb-base': 'switchboard, previous build (--baseline)',
  'sb-howto-select': "switchboard, the HOWTO's select() loop",
  'py-asyncio': 'Python asyncio',
  'py-twisted': 'Python Twisted',
  'node-http': 'node:http',
  // The program's own name, which people know it by.
  'redis-server': 'redis-server',
  'node-net-http': 'node:net canned replies (headroom)',
  'sb-tcp': 'switchboard over TCP',
  'sb-unix': 'switchboard over a Unix socket',
  'node-tcp': 'node:net over TCP',
  'node-unix': 'node:net over a Unix socket',
  'node-tls': 'node:tls',
  'sb-tls': 'switchboard, listenTLS',
};

/** Cases by their id (the same id means the same load in every benchmark that has it). */
export const CASE_NAMES: Readonly<Record<string, string>> = {
  pp1cpu1: '1 conn. ping-pong',
  pp1core: '1 conn. ping-pong, same core',
  pp50: '50 conn. ping-pong',
  stream10: '10 conn. streaming',
  churn1: 'connect, 1 message, close',
  'wrk-c50': 'wrk, 50 conn. keep-alive',
  ping_inline: 'PING (inline)',
  ping_mbulk: 'PING (multibulk)',
  set: 'SET',
  get: 'GET',
  'ping_inline P16': 'PING (inline), pipeline 16',
  'ping_mbulk P16': 'PING (multibulk), pipeline 16',
  'set P16': 'SET, pipeline 16',
  'get P16': 'GET, pipeline 16',
  'n=10': '10 sockets',
  'n=1000': '1,000 sockets',
  'n=10000': '10,000 sockets',
  idle10k: '10,000 idle conn.',
  frames64: '64-byte frames',
  'frame64k-bytewise': 'one 64 KiB frame, byte by byte',
  'tls-pp50': '50 conn. ping-pong',
  'tls-pp50-cpu': '50 conn. ping-pong, per CPU s',
  'tls-stream10': '10 conn. streaming',
  'tls-stream10-cpu': '10 conn. streaming, per CPU s',
};

/** The name a reader sees for server (or method) `id`. */
export const serverName = (id: string): string => SERVER_NAMES[id] ?? id;
/** The name a reader sees for case `id`. */
export const caseName = (id: string): string => CASE_NAMES[id] ?? id;
