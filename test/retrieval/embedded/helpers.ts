import fs from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { chunkId, type Chunk } from '../../../src/core/documents.js';
import type { DocumentWrite } from '../../../src/core/store.js';
import { EMBEDDER, unitVector } from './fixtures.js';

/** A logger that keeps every line, to check what the store warned about. */
export function capturingLogger(): { logger: Logger; lines: Array<{ level: number; msg: string; [key: string]: unknown }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, lines };
}

/** A document of `n` chunks in `accessGroup`; chunk j's vector is seeded by `seed * 10_000 + j`. */
export function manyChunkDoc(name: string, n: number, opts: { accessGroup?: string; seed?: number; dimensions?: number } = {}): DocumentWrite {
  const accessGroup = opts.accessGroup ?? 'public';
  const seed = opts.seed ?? 1;
  const chunks: Chunk[] = Array.from({ length: n }, (_, j) => ({
    id: chunkId(name, j),
    docId: name,
    source: `docs/${accessGroup}/${name}`,
    title: name,
    headingPath: [],
    chunkIndex: j,
    totalChunks: n,
    contentHash: `${name}-${seed}-${j}`,
    accessGroup,
    text: `${name} section ${j} seed${seed}`,
  }));
  return {
    document: { docId: name, source: `docs/${accessGroup}/${name}`, title: name, hash: `${name}-${seed}-${n}`, accessGroup },
    chunks,
    vectors: chunks.map((_, j) => unitVector(seed * 10_000 + j, opts.dimensions ?? EMBEDDER.dimensions)),
  };
}

/** The index layout of a data directory, for tests that look at or damage the files. */
export function indexFiles(dataDir: string) {
  const root = path.join(dataDir, 'index');
  const current = () => fs.readFileSync(path.join(root, 'CURRENT'), 'utf8').trim();
  const genDir = () => path.join(root, current());
  const snapshots = () => fs.readdirSync(genDir()).filter((n) => /^vectors-\d+$/.test(n)).sort();
  const snapshot = () => {
    const all = snapshots();
    if (all.length !== 1) throw new Error(`expected one snapshot, found ${all.join(', ') || 'none'}`);
    return path.join(genDir(), all[0]!);
  };
  const manifest = () =>
    JSON.parse(fs.readFileSync(path.join(snapshot(), 'manifest.json'), 'utf8')) as {
      seq: number;
      groups: Array<{ group: string; file: string; vectors: number; tombstones: number }>;
    };
  return { root, current, genDir, snapshots, snapshot, manifest, db: () => path.join(genDir(), 'store.sqlite') };
}
