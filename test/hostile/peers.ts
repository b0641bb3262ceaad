// The references the hostile suite measures beside our servers, each a child process measured the
// same way (RSS and descriptors from /proc): platform peers (node:http and node:https serving what
// `serve http` serves, a node:net chat server, redis-server) under the same attack, or our own
// server serving a legitimate user of the same kind for as long. Their growth is the runtime's own
// part of our bound for that attack (bounds.ts, docs/limits.md).
import { fileURLToPath } from 'node:url';
import type { Reference } from './attack-table.js';
import { postsRead } from './attacks.js';
import { HEAVY_USER_FACTOR, PEER_FACTOR } from './bounds.js';
import { type ServerProcess, type ServerSpec, freePort, startProcess, startServer } from './harness.js';
import { testCerts } from '../helpers/tls-certs.js';

const NODE_HTTP_SCRIPT = fileURLToPath(new URL('./peers/node-http-server.js', import.meta.url));
const NODE_NET_RESP_SCRIPT = fileURLToPath(new URL('./peers/node-net-resp.js', import.meta.url));
const NODE_NET_CHAT_SCRIPT = fileURLToPath(new URL('./peers/node-net-chat.js', import.meta.url));

/** node:http serving GET /, POST /echo and /bytes/<n>; node:https when `spec.tls`. */
function nodeHttp(spec: ServerSpec): Promise<ServerProcess> {
  const args = [NODE_HTTP_SCRIPT];
  if (spec.tls === true) {
    const certs = testCerts();
    args.push('--tls-cert', certs.server.certFile, '--tls-key', certs.server.keyFile);
  }
  return startProcess({ server: 'http', tls: spec.tls === true }, process.execPath, args);
}

/** A node:net chat server with `serve chat`'s lines, names and 1 MiB slow-client backlog. */
function nodeNetChat(): Promise<ServerProcess> {
  return startProcess({ server: 'chat' }, process.execPath, [NODE_NET_CHAT_SCRIPT]);
}

/** redis-server on a free port, with persistence off. */
export async function redisServer(): Promise<ServerProcess> {
  const port = await freePort();
  return startProcess({ server: 'resp' }, 'redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'], port);
}

/** node:http (node:https for a TLS row) under the row's attack. */
export const NODE_HTTP: Reference = { name: 'node:http', factor: PEER_FACTOR, start: nodeHttp };
/**
 * node:http over plain TCP, for a TLS row: node:https is no reference for 10,000 requests
 * pipelined in one write, as it answers the first and closes the connection (node v20.20.2).
 */
export const NODE_HTTP_PLAIN: Reference = { name: 'node:http', factor: PEER_FACTOR, start: () => nodeHttp({ server: 'http' }) };
/** node:net's chat under the row's attack. */
export const NODE_NET_CHAT: Reference = { name: 'node:net chat', factor: PEER_FACTOR, start: nodeNetChat };

/**
 * Our server under a client that POSTs 1 MiB bodies for as long as the attack does (8 s), reading
 * each echo: a legitimate heavy user. The attacker must not cost more than that. (As many bytes as
 * the attacker got in, about 12 MiB, was tried first: its growth came out either about 19.5 or about
 * 31 MiB, depending on whether V8 had collected by then, too bimodal to bound by.)
 */
export const HARMLESS_POSTS: Reference = { name: 'ours, a client POSTing 1 MiB bodies and reading each echo for 8 s', factor: HEAVY_USER_FACTOR, start: startServer, load: postsRead };

/** node:net parsing RESP commands and answering each PING with its own write, under the row's attack. */
export const NODE_NET_RESP: Reference = { name: 'node:net RESP', factor: PEER_FACTOR, start: () => startProcess({ server: 'resp' }, process.execPath, [NODE_NET_RESP_SCRIPT]) };
