// Python's ValueError: misuse that has no errno (a closed socket in a select list, a bad argument).
// Defined here, the lowest layer, so select() and the sockets throw the one same class.

/**
 * Python's `ValueError`: an argument or call that is wrong in itself, with no errno, such as a
 * negative timeout, a closed socket in a select list, `recv` of a negative size, or a host name
 * `bind` cannot resolve without waiting.
 */
export class ValueError extends Error {
  /** `'ValueError'`. */
  override name = 'ValueError';
}
