// MULTI, EXEC, DISCARD, WATCH, UNWATCH (multi.c), with redis 7.0's semantics: commands after MULTI
// are checked and queued (dispatch does that); EXEC runs them all in one go, nothing between them,
// since one connection's commands run to completion before the next event; a command refused
// while queuing (unknown, wrong arity) makes EXEC answer EXECABORT and run nothing; a watched key
// changed by anyone since WATCH makes EXEC answer the null array and run nothing.
import { type CommandContext, type CommandSpec, OK, argAt, runCommand, text } from './command.js';
import { type Reply, arrayParts, encodeError, encodeNullArray } from './resp-encoder.js';

const NESTED = encodeError('ERR MULTI calls can not be nested');
const EXEC_WITHOUT_MULTI = encodeError('ERR EXEC without MULTI');
const DISCARD_WITHOUT_MULTI = encodeError('ERR DISCARD without MULTI');
const EXECABORT = encodeError('EXECABORT Transaction discarded because of previous errors.');
const WATCH_INSIDE_MULTI = encodeError('ERR WATCH inside MULTI is not allowed');
const TOO_MANY_WATCHED = encodeError('ERR too many watched keys');

function multi(_args: readonly Buffer[], { client }: CommandContext): Buffer {
  if (client.transaction !== undefined) return NESTED;
  client.transaction = { queue: [], heldBytes: 0, isAborted: false };
  return OK;
}

function exec(_args: readonly Buffer[], context: CommandContext): Reply {
  const { client } = context;
  const transaction = client.transaction;
  if (transaction === undefined) return EXEC_WITHOUT_MULTI;
  client.transaction = undefined;
  const isTouched = client.isWatchTouched;
  client.unwatchAll();
  if (transaction.isAborted) return EXECABORT;
  if (isTouched) return encodeNullArray(client.version);
  // A loop, never a call chain: a transaction of a million commands needs no stack.
  const replies: Reply[] = [];
  for (const { spec, args } of transaction.queue) replies.push(runCommand(spec, args, context));
  return arrayParts(replies);
}

function discard(_args: readonly Buffer[], { client }: CommandContext): Buffer {
  if (client.transaction === undefined) return DISCARD_WITHOUT_MULTI;
  client.transaction = undefined;
  client.unwatchAll();
  return OK;
}

function watch(args: readonly Buffer[], { client, limits }: CommandContext): Buffer {
  if (client.transaction !== undefined) return WATCH_INSIDE_MULTI;
  // Each watched key costs a registry entry: bounded like an array's elements.
  if (client.watchedCount + args.length - 1 > limits.maxArrayLength) return TOO_MANY_WATCHED;
  for (let j = 1; j < args.length; j++) client.watch(text(argAt(args, j)));
  return OK;
}

function unwatch(_args: readonly Buffer[], { client }: CommandContext): Buffer {
  client.unwatchAll();
  return OK;
}

/** MULTI EXEC DISCARD WATCH UNWATCH, as redis 7.0 declares them. */
export const TRANSACTION_COMMANDS: readonly CommandSpec[] = [
  { name: 'multi', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], keys: [0, 0, 0], run: multi, isNeverQueued: true },
  { name: 'exec', arity: 1, flags: ['noscript', 'loading', 'stale', 'skip_slowlog'], keys: [0, 0, 0], run: exec, isNeverQueued: true },
  { name: 'discard', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], keys: [0, 0, 0], run: discard, isNeverQueued: true },
  { name: 'watch', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], keys: [1, -1, 1], run: watch, isNeverQueued: true },
  { name: 'unwatch', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], keys: [0, 0, 0], run: unwatch },
];
