// The lowest layer: one queue of byte chunks with a resumable search, under every buffer and
// parser in switchboard (and free for a user's own parser).
export { ChunkQueue, type ByteCounters } from './chunk-queue.js';
export { DelimiterSearch } from './delimiter-search.js';
