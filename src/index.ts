// switchboard: the socket HOWTO for Node.js. Sockets with the kernel's semantics, select(), and
// (as they land) the reactor and protocol handlers built on them.
export * from './reactor/index.js';
export * from './transports/index.js';
