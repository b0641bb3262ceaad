// A Selector's key record, which also carries where the key stands in the Selector's candidate list:
// readiness bookkeeping on the record itself, so that a notification costs a flag test and an array
// store, not a Set insertion and a deletion (the Set's rehashing and shrinking showed in the profile).
import type { Selectable } from './selectable.js';
import type { SelectorKey } from './selector.js';

/** Where a key stands: not a candidate, in the candidate list, or replaced (modify) or unregistered. */
const IDLE = 0;
const CANDIDATE = 1;
const RETIRED = 2;

/**
 * One registration, as the Selector hands it out (a SelectorKey: its public fields are all a
 * caller sees; the candidate state is private to the Selector, through the static helpers).
 */
export class RegisteredKey<T extends Selectable, D> implements SelectorKey<T, D> {
  /** The registered object. */
  readonly fileobj: T;
  /** `fileobj.fileno()` at registration. */
  readonly fd: number;
  /** The events watched. */
  readonly events: number;
  /** The caller's value given to `register` or `modify`. */
  readonly data: D | undefined;
  #state = IDLE;

  /** A key for `fileobj`, watched for `events`, carrying `data`; not a candidate yet. */
  constructor(fileobj: T, fd: number, events: number, data: D | undefined) {
    this.fileobj = fileobj;
    this.fd = fd;
    this.events = events;
    this.data = data;
  }

  /** Marks `key` a candidate; false if it was one already (or is retired), so it is listed once. */
  static enlist<T extends Selectable, D>(key: RegisteredKey<T, D>): boolean {
    if (key.#state !== IDLE) return false;
    key.#state = CANDIDATE;
    return true;
  }

  /** `key` was found not ready: it leaves the candidate list (a later notification puts it back). */
  static dismiss<T extends Selectable, D>(key: RegisteredKey<T, D>): void {
    if (key.#state === CANDIDATE) key.#state = IDLE;
  }

  /** `key` no longer stands for its object (modify replaced it, or unregister ended it). */
  static retire<T extends Selectable, D>(key: RegisteredKey<T, D>): void {
    key.#state = RETIRED;
  }

  /** False once retired: a list entry left from before is then skipped. */
  static isCurrent<T extends Selectable, D>(key: RegisteredKey<T, D>): boolean {
    return key.#state !== RETIRED;
  }
}
