// The reactor layer's public surface: the Selectable contract and select().
export { EVENT_READ, EVENT_WRITE, EVENT_ERROR, type Selectable, type ReadinessListener } from './selectable.js';
export { select, type SelectResult } from './select.js';
export { waitReady, DeadlineExceeded, type WaitOptions } from './wait-ready.js';
