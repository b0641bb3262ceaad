// The bundled reactors by name, for the CLI's --reactor flag and the conformance modules.
import type { Reactor, ReactorOptions } from './reactor.js';
import { SelectReactor } from './select-reactor.js';
import { SelectorReactor } from './selector-reactor.js';

/** The bundled reactors, by their `--reactor` names: `'select'` is SelectReactor, `'selector'` SelectorReactor. */
export type ReactorName = 'select' | 'selector';

/** A new reactor of the named kind (default `'selector'`, the O(ready) SelectorReactor). */
export function createReactor(name: ReactorName = 'selector', options?: ReactorOptions): Reactor {
  return name === 'select' ? new SelectReactor(options) : new SelectorReactor(options);
}
