import { chunkId, type Chunk } from '../../../src/core/documents.js';
import type { DocumentWrite } from '../../../src/core/store.js';

/** Deterministic documents for the embedded-store tests and their child processes. */

export const EMBEDDER = { id: 'fixture-embedder@1', dimensions: 8 };

/** mulberry32: a tiny seeded PRNG, so every process builds the same vectors. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function unitVector(seed: number, dimensions = EMBEDDER.dimensions): Float32Array {
  const next = rng(seed);
  const v = Float32Array.from({ length: dimensions }, () => next() * 2 - 1);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];

/** Document `i` has two chunks; its words and vectors depend only on `i` (and `variant`). */
export function fixtureDoc(i: number, opts: { accessGroup?: string; variant?: string } = {}): DocumentWrite {
  const docId = `doc-${i}.md`;
  const source = `docs/${opts.accessGroup ?? 'public'}/doc-${i}.md`;
  const accessGroup = opts.accessGroup ?? 'public';
  const variant = opts.variant ?? '';
  const chunks: Chunk[] = [0, 1].map((c) => ({
    id: chunkId(docId, c),
    docId,
    source,
    title: `Document ${i}`,
    headingPath: [`Part ${c}`],
    chunkIndex: c,
    totalChunks: 2,
    contentHash: `h${i}-${c}${variant}`,
    accessGroup,
    text: `${WORDS[i % WORDS.length]} ${WORDS[(i + c + 3) % WORDS.length]} marker${i} ${variant}`.trim(),
  }));
  return {
    document: { docId, source, title: `Document ${i}`, hash: `h${i}${variant}`, accessGroup },
    chunks,
    vectors: [0, 1].map((c) => unitVector(i * 10 + c)),
  };
}
