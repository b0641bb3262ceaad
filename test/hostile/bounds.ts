// The bounds each attack of the hostile suite must stay under: the table "Hostile suite bounds"
// in docs/limits.md, where each is explained. RSS is growth over the server's idle RSS just before
// the attack; descriptors are counted in /proc/<pid>/fd. Change them there and here together.

/**
 * The runtime's growth (V8 heap pages, TLS buffers) allowed to the rows that do not measure a
 * reference in the same test (docs/limits.md): each of them passes with room.
 */
export const RUNTIME_SLACK_MIB = 16;
/**
 * What one connection may legitimately hold, in MiB (docs/limits.md, "Reactor and connections"):
 * its emulated SO_RCVBUF and SO_SNDBUF (256 KiB each), the transport's write high-water mark
 * (64 KiB) and one read chunk (64 KiB).
 */
export const PER_CONNECTION_MIB = (262144 + 262144 + 65536 + 65536) / (1024 * 1024);
/** One 64 KiB chunk of a streamed reply, in MiB. */
const CHUNK_MIB = 64 / 1024;
/** redis-server 7.0.15's RSS for one connection holding an unfinished 1,048,576-element array (see docs/limits.md). */
export const REDIS_UNFINISHED_ARRAY_MIB = 43;

/**
 * Where a platform peer runs the same attack in the same test (node:http or node:https, a node:net
 * chat or RESP server), the RSS bound is what our limits let the attacker make us hold (`heldMiB`)
 * plus the peer's growth times this factor: the issue's own factor against a reference ("at most
 * twice what redis-server holds"). The peer's growth is the runtime's own under that traffic (V8's
 * young generation growing to its 2 x 16 MiB semi-spaces, heap pages, malloc arenas keeping freed
 * Buffers): garbage, not held data, but RSS all the same.
 */
export const PEER_FACTOR = 2;
/**
 * Where the reference is our own server serving a legitimate heavy user of the same kind for as
 * long as the attack lasts: an attacker may cost what its limits hold plus at most what that user
 * costs, no more.
 */
export const HEAVY_USER_FACTOR = 1;

/** An attack's bound: extra RSS (fixed, or `heldMiB` + PEER_FACTOR x a reference's growth) and extra descriptors. */
export interface Bound {
  readonly rssMiB?: number;
  readonly heldMiB?: number;
  readonly fds?: number;
}

/** The bound of each attack: extra RSS in MiB, and extra descriptors over the idle server's count. */
export const BOUNDS = {
  /** 8 connections x 10,000 pipelined GETs, read by the client: what 8 connections hold, plus node:http's growth x 2. */
  pipelinedHttp: { heldMiB: 8 * PER_CONNECTION_MIB, fds: 8 + 2 },
  /** One client POSTing 1 MiB bodies, never reading: its connection's buffers (with the high-water mark) plus one body, plus node:http's growth x 2. */
  postNeverRead: { heldMiB: PER_CONNECTION_MIB + 1, fds: 1 + 2 },
  /** 16 clients pipelining GET /bytes/65536, never reading: per client its buffers plus one 64 KiB chunk. */
  pacedGetNeverRead: { rssMiB: RUNTIME_SLACK_MIB + 16 * (PER_CONNECTION_MIB + CHUNK_MIB), fds: 16 + 2 },
  /** A 4 MiB body in 1-byte chunks: the body once (in one buffer) and its echo. */
  oneByteChunks: { rssMiB: RUNTIME_SLACK_MIB + PER_CONNECTION_MIB + 2 * 4, fds: 1 + 2 },
  /** 30 pipelined HEAD /bytes/<1 TiB>: no body is produced, so nothing but the connection is held. */
  headHuge: { rssMiB: RUNTIME_SLACK_MIB + PER_CONNECTION_MIB, fds: 1 + 2 },
  /** 200 connections with a complete head and a body trickling in: a descriptor and a connection's buffers each, until the body deadline. */
  slowBody: { rssMiB: RUNTIME_SLACK_MIB + 200 * PER_CONNECTION_MIB, fds: 200 + 2 },
  /** 300 connections reset at random moments: nothing left once they are gone. */
  resets: { rssMiB: RUNTIME_SLACK_MIB + 300 * PER_CONNECTION_MIB, fdsAfter: 2 },
  /** Bad numbers in every numeric field, one connection at a time: answered with an error, nothing left. */
  badNumbers: { rssMiB: RUNTIME_SLACK_MIB, fdsAfter: 2 },
  /** 4 connections each holding *1048576 + 1,048,575 `$0`, unfinished: at most twice redis-server's figure each. */
  unfinishedArray: { rssMiB: 4 * 2 * REDIS_UNFINISHED_ARRAY_MIB, fds: 4 + 2 },
  /** MGET of the same 4 MiB value 100 times, never read: the value once (replies share it) plus the connection's buffers. */
  mgetAmplified: { rssMiB: RUNTIME_SLACK_MIB + PER_CONNECTION_MIB + 4, fds: 1 + 2 },
  /** 100,000 PINGs in one write, read by the client: a connection's buffers, plus x 2 a node:net RESP answerer's growth under the same PINGs. */
  pipelinedResp: { heldMiB: PER_CONNECTION_MIB, fds: 1 + 2 },
  /** 200 TLS connections that never send a ClientHello: a descriptor and a connection's buffers each, until the 120 s handshake deadline. */
  slowHandshake: { rssMiB: RUNTIME_SLACK_MIB + 200 * PER_CONNECTION_MIB, fds: 200 + 2 },
  /**
   * --max-connections 5 and 1,000 refused clients that never close: 5 served, at most 64 lingering
   * refusals, and one accept dispatch (64) taken before its refusals are closed.
   */
  refusals: { peakFds: 5 + 64 + 64 + 2, fdsAfter: 5 + 2 },
  /** 16 chat clients that never read while one talks: per client its buffers plus its 1 MiB backlog (then it is dropped), plus node:net chat's growth x 2. */
  deafChatClients: { heldMiB: 17 * PER_CONNECTION_MIB + 16 * 1, fds: 17 + 2 },
  /** One idle client under a 30-day idle timeout: CPU seconds per wall second. */
  longTimer: { cpuShare: 0.05 },
} as const satisfies Record<string, Bound | { cpuShare: number } | { peakFds: number; fdsAfter: number }>;
