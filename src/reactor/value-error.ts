// Python's ValueError: misuse that has no errno (a closed socket in a select list, a bad argument).
// Defined here, the lowest layer, so select() and the sockets throw the one same class.

export class ValueError extends Error {
  override name = 'ValueError';
}
