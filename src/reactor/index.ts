// The reactor layer's public surface: the Selectable contract, select(), the Selector, and reactors.
export { EVENT_READ, EVENT_WRITE, EVENT_ERROR, type Selectable, type ReadinessListener } from './selectable.js';
export { select, type SelectResult } from './select.js';
export { waitReady, DeadlineExceeded, type WaitOptions } from './wait-ready.js';
export { Selector, KeyError, type SelectorKey, type SelectorEvent } from './selector.js';
export type { Reactor, IOHandler, IterationStats, ReactorOptions } from './reactor.js';
export { SelectReactor } from './select-reactor.js';
export { SelectorReactor } from './selector-reactor.js';
export { createReactor, type ReactorName } from './default-reactors.js';
export { type Clock, ManualClock, realClock } from './clock.js';
export { type DelayedCall, AlreadyCalledError, type ScheduledCall, type TimerOwner } from './delayed-call.js';
export type { ReadyCallback, ReadyHandlers } from './base-reactor.js';
