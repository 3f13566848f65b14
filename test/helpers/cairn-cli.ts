// Runs the real `cairn` CLI from sources (tests must not depend on a stale dist/).
import { main } from '../../src/cli/main.js';

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => { console.error(err); process.exitCode = 1; },
);
