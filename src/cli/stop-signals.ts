// How the CLI's servers hear SIGINT and SIGTERM. A terminal's Ctrl-C goes to the whole foreground
// process group, so under `npm start` node hears it twice: once from the terminal and once more when
// npm forwards its own copy. A handler that runs once (process.once) lets the second copy kill node,
// and npm then exits 130 instead of 0; and as node exits it restores the default handlers, so even a
// handler kept for good loses to a copy that arrives late. So: every signal stays handled, the first
// one starts the shutdown, and under npm the process waits (briefly, bounded) for npm's copy before
// it ends.

/** The signals that stop a server. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** The longest a process under npm waits for npm's forwarded copy of the signal that stopped it. */
const FORWARDED_COPY_MS = 500;

/** Stops handling the signals (for a process that ends before any arrived). */
export interface StopSignals {
  /** Resolves when the process may end: at once, or under npm once its forwarded copy came (or 0.5 s). */
  whenSettled(): Promise<void>;
}

/**
 * Calls `stop` on the first SIGINT or SIGTERM; later ones are absorbed, so the shutdown finishes
 * (flushing what it must) however many copies of the signal arrive. Call `whenSettled()` before
 * the process ends.
 */
export function onStopSignal(stop: () => void): StopSignals {
  let signals = 0;
  let copyArrived: (() => void) | undefined;
  const copy = new Promise<void>((resolve) => {
    copyArrived = resolve;
  });
  const handler = (): void => {
    signals += 1;
    if (signals === 1) stop();
    else copyArrived?.();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return {
    whenSettled: async () => {
      // npm sets npm_lifecycle_event for the scripts it runs, and forwards the signals it gets to them.
      if (signals === 1 && process.env['npm_lifecycle_event'] !== undefined) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([copy, new Promise<void>((resolve) => (timer = setTimeout(resolve, FORWARDED_COPY_MS)))]);
        clearTimeout(timer);
      }
      // Handlers stay installed: a copy that arrives while node tears down is still absorbed.
    },
  };
}
