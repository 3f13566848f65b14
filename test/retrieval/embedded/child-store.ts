/**
 * Runs in a separate process for the embedded-store tests: `node --import tsx child-store.ts <mode> <dataDir>`.
 *   upsert           adds doc 900 ("zulu"), deletes doc-1.md, exits without closing the store
 *   rebuild-and-hang starts a re-index, writes 5 documents, prints "ready", then keeps writing until killed
 */
import { pino } from 'pino';
import { openEmbeddedStore } from '../../../src/retrieval/embedded/index.js';
import { EMBEDDER, fixtureDoc } from './fixtures.js';

const [mode, dataDir] = process.argv.slice(2);
if (!mode || !dataDir) throw new Error('usage: child-store.ts <upsert|rebuild-and-hang> <dataDir>');
const store = await openEmbeddedStore({ dataDir, logger: pino({ level: 'silent' }) });

if (mode === 'upsert') {
  await store.upsertDocument(fixtureDoc(900, { variant: 'zulu' }), EMBEDDER);
  await store.deleteDocuments(['doc-1.md']);
  process.stdout.write('done\n');
  process.exit(0);
} else if (mode === 'rebuild-and-hang') {
  const build = await store.beginRebuild(EMBEDDER);
  let i = 0;
  for (; i < 5; i++) await build.write(fixtureDoc(1000 + i, { variant: 'rebuilt' }));
  process.stdout.write('ready\n');
  for (;;) {
    await build.write(fixtureDoc(1000 + i++, { variant: 'rebuilt' }));
    await new Promise((resolve) => setImmediate(resolve));
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
