// The figures beside ours in docs/limits.md: the hostile suite's attacks on node:http (HTTP) and
// redis-server (RESP), measured the same way (RSS and descriptors from /proc, a normal client
// probed meanwhile). Not a test: `node dist/test/hostile/measure-peers.js` prints a table.
import { execFileSync } from 'node:child_process';
import { amplifiedMget, deafChatClients, headsOfHugeBodies, oneByteChunks, pacedGetsNeverRead, pipelinedGets, pipelinedPings, postsNeverRead, slowBodies, unfinishedArrays } from './attacks.js';
import { type Sample, type ServerProcess, describe } from './harness.js';
import { NODE_HTTP, NODE_NET_CHAT, NODE_NET_RESP, redisServer } from './peers.js';

const nodeHttp = (): Promise<ServerProcess> => NODE_HTTP.start({ server: 'http' });
const nodeHttps = (): Promise<ServerProcess> => NODE_HTTP.start({ server: 'http', tls: true });
const redis = redisServer;

async function measure(name: string, start: () => Promise<ServerProcess>, attack: (server: ServerProcess) => Promise<{ sample: Sample; result: unknown }>): Promise<void> {
  const server = await start();
  try {
    const { sample, result } = await attack(server);
    console.log(`${name}: ${describe(sample)}; result ${JSON.stringify(result)}; ${server.alive() ? 'alive' : 'DIED'}`);
  } finally {
    await server.stop();
  }
}

console.log(`node ${process.version}; ${execFileSync('redis-server', ['--version']).toString().trim()}`);
await measure('node:http pipelined 8x10000', nodeHttp, pipelinedGets);
await measure('node:http POST 1 MiB never read', nodeHttp, postsNeverRead);
await measure('node:http 16 paced GET never read', nodeHttp, pacedGetsNeverRead);
await measure('node:http 1-byte chunks 4 MiB', nodeHttp, oneByteChunks);
await measure('node:http 30 HEAD 1 TiB', nodeHttp, headsOfHugeBodies);
await measure('node:http 200 slow bodies', nodeHttp, slowBodies);
await measure('node:https pipelined 8x10000', nodeHttps, pipelinedGets);
await measure('node:https POST 1 MiB never read', nodeHttps, postsNeverRead);
await measure('node:net chat 16 deaf clients', () => NODE_NET_CHAT.start({ server: 'chat' }), deafChatClients);
await measure('redis-server 4 unfinished arrays', redis, (server) => unfinishedArrays(server, 4));
await measure('redis-server MGET 100 x 4 MiB never read', redis, amplifiedMget);
await measure('redis-server 100000 PING', redis, pipelinedPings);
await measure('node:net RESP 100000 PING', () => NODE_NET_RESP.start({ server: 'resp' }), pipelinedPings);
