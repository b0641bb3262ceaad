// The reactor conformance suite's shape: named cases, written once as data, each run on a fresh
// reactor for every socket family it applies to (CPython's BaseSelectorTestCase, Twisted's
// ReactorBuilder). A case states what it requires instead of returning early.
import type { Clock, ManualClock } from '../reactor/clock.js';
import type { Reactor, ReactorOptions } from '../reactor/reactor.js';
import type { Connector, ListeningPort } from '../transports/endpoints.js';
import type { Factory } from '../transports/protocol.js';

/** What `switchboard conformance <module>` imports: a function returning a new reactor. */
export type ReactorFactory = (options?: ReactorOptions) => Reactor;

export type FamilyName = 'tcp4' | 'tcp6' | 'unix' | 'pair';
/** listen: the family has listening endpoints (all but pair). */
export type Requirement = 'listen' | 'tcp';

export interface Family {
  readonly name: FamilyName;
  readonly provides: readonly Requirement[];
  /** Connects a client protocol to a server protocol over this family; resolves once both exist. */
  connectPair(reactor: Reactor, server: Factory, client: Factory): Promise<void>;
  listen?(reactor: Reactor, factory: Factory): Promise<ListeningPort>;
  connect?(reactor: Reactor, port: ListeningPort, factory: Factory): Connector;
  /** An address nothing listens on (bound but not listening), and how to release it. */
  refusingTarget?(): { connect(reactor: Reactor, factory: Factory): Connector; release(): void };
}

export interface CaseContext {
  readonly reactor: Reactor;
  /** The clock the reactor was built with: timer cases advance it instead of sleeping. */
  readonly clock: ManualClock;
  readonly family: Family;
  /** Makes another reactor from the module under test, with its own clock and error sink. */
  makeReactor(clock?: Clock, onError?: (error: unknown, context: string) => void): Reactor;
  /** Runs the reactor until `done` settles (a guard ends a case that hangs), then stops it. */
  runUntil<T>(done: Promise<T>, what: string): Promise<T>;
  /** Runs cleanup after the case, even when it fails. */
  defer(cleanup: () => void): void;
}

export interface ConformanceCase {
  readonly name: string;
  /** The case runs once per family that provides all of these; with none, once (on pair). */
  readonly requires?: readonly Requirement[];
  /** Cases that do not touch sockets run once, not per family. */
  readonly perFamily?: boolean;
  run(ctx: CaseContext): Promise<void>;
}
