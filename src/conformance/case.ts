// The reactor conformance suite's shape: named cases, written once as data, each run on a fresh
// reactor for every socket family it applies to (CPython's BaseSelectorTestCase, Twisted's
// ReactorBuilder). A case states what it requires instead of returning early.
import type { Clock, ManualClock } from '../reactor/clock.js';
import type { Reactor, ReactorOptions } from '../reactor/reactor.js';
import type { Connector, ListeningPort } from '../transports/endpoints.js';
import type { Factory } from '../contract/index.js';

/** What `switchboard conformance <module>` imports: a function returning a new reactor. */
export type ReactorFactory = (options?: ReactorOptions) => Reactor;

/** The socket families a case can run on: TCP over 127.0.0.1, TCP over ::1, a Unix path, and socketpair(). */
export type FamilyName = 'tcp4' | 'tcp6' | 'unix' | 'pair';
/** What a case may need of a family. listen: it has listening endpoints (all but pair); tcp: it is TCP (tcp4, tcp6). */
export type Requirement = 'listen' | 'tcp';

/** How cases make connections over one socket family, through the reactor under test. */
export interface Family {
  /** Which family this is. */
  readonly name: FamilyName;
  /** The requirements this family meets; a case runs on it only if it provides all the case requires. */
  readonly provides: readonly Requirement[];
  /** Connects a client protocol to a server protocol over this family; resolves once both exist. */
  connectPair(reactor: Reactor, server: Factory, client: Factory): Promise<void>;
  /** Listens on a fresh address of this family (a free port, a new path); families that provide `listen` have it. */
  listen?(reactor: Reactor, factory: Factory): Promise<ListeningPort>;
  /** Connects to a port made by listen(); families that provide `listen` have it. */
  connect?(reactor: Reactor, port: ListeningPort, factory: Factory): Connector;
  /** An address nothing listens on (bound but not listening), and how to release it. */
  refusingTarget?(): { connect(reactor: Reactor, factory: Factory): Connector; release(): void };
}

/** What a case's run() gets: a fresh reactor on a manual clock, the family, and helpers. */
export interface CaseContext {
  /** A fresh reactor from the module under test, built with `clock`; not running until runUntil(). */
  readonly reactor: Reactor;
  /** The clock the reactor was built with: timer cases advance it instead of sleeping. */
  readonly clock: ManualClock;
  /** The family this run of the case is for (`pair` for cases that are not per family). */
  readonly family: Family;
  /** Makes another reactor from the module under test, with its own clock and error sink. */
  makeReactor(clock?: Clock, onError?: (error: unknown, context: string) => void): Reactor;
  /** Runs the reactor until `done` settles (a guard ends a case that hangs), then stops it. */
  runUntil<T>(done: Promise<T>, what: string): Promise<T>;
  /** Runs cleanup after the case, even when it fails. */
  defer(cleanup: () => void): void;
}

/** One named conformance case, written once and run for every family it applies to. */
export interface ConformanceCase {
  /** The behaviour checked, in plain words; it titles the result (`tcp4: <name>`). */
  readonly name: string;
  /** With perFamily, the case runs once per family that provides all of these (every family when empty). */
  readonly requires?: readonly Requirement[];
  /** Cases that do not touch sockets run once, not per family. */
  readonly perFamily?: boolean;
  /** The case: resolves when it passes, rejects (with a node:assert error, typically) when it fails. */
  run(ctx: CaseContext): Promise<void>;
}
