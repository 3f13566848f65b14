import type { ChildMessage, SandboxJob, SandboxOutcome } from './protocol.js';
import { runInQuickJS } from './quickjs-runner.js';

/**
 * Entry of the sandbox child process: receives one job over IPC, runs it in QuickJS, replies, exits.
 * The parent starts it with an empty environment and a small V8 heap and kills it on overrun; nothing in
 * here is reachable from the script except the console shim.
 */

function reply(message: ChildMessage, then?: () => void): void {
  if (process.send === undefined) process.exit(1);
  process.send(message, undefined, {}, () => then?.());
}

/** A failure of the host side (not the script): its text may hold paths, so only a category goes back. */
function hostFailure(err: unknown): SandboxOutcome {
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  // QuickJS's own stack limit is not enforced in the WebAssembly build: deep recursion overflows the
  // host's stack instead, which surfaces here.
  if (/Maximum call stack/iu.test(text)) {
    return { ok: false, stdout: '', error: 'RangeError: Maximum call stack size exceeded (too much recursion)' };
  }
  if (/out of memory|OOM|Cannot enlarge memory|Aborted/iu.test(text)) {
    return { ok: false, stdout: '', error: 'stopped: memory limit', stopped: 'memory' };
  }
  return { ok: false, stdout: '', error: 'the sandbox failed to run this code' };
}

process.once('message', (job: SandboxJob) => {
  runInQuickJS(job).then(
    (outcome) => reply({ kind: 'outcome', outcome }, () => process.exit(0)),
    (err: unknown) => reply({ kind: 'outcome', outcome: hostFailure(err) }, () => process.exit(0)),
  );
});
// The parent went away: nothing left to answer.
process.on('disconnect', () => process.exit(0));
reply({ kind: 'ready' });
