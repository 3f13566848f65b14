import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long a loop may hold the event loop before it lets other work (Slack acks, answers) run. */
const SLICE_MS = 10;

/**
 * For loops whose awaits never reach the event loop (the chunker's splitters are async but only
 * compute; the store's reads are synchronous): awaiting the returned function gives the event loop a
 * turn once SLICE_MS have passed since the last one, so a re-index inside a running bot never holds
 * it for more than a slice.
 */
export function turnTaker(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await nextTurn();
    since = performance.now();
  };
}
