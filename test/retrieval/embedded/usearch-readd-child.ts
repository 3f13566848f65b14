/**
 * The usearch sequence behind issue 18, with the raw library and nothing of Cairn: add 20 + 500
 * vectors, save, load, remove the 500, save, load, add 500 new keys, search. usearch 2.25.3 sized
 * its key lookup after `load` by the live count (20 → 32 entries) and then copied all 520 slots
 * into it: a heap overflow that glibc reports later as an abort. The snapshot holding the 500
 * freed slots is also mapped with `view`, as a bot swapping to a new generation does
 * (group-graph.ts). Run as its own process (`node --import tsx usearch-readd-child.ts <dir>`),
 * since an abort would take vitest with it.
 */
import path from 'node:path';
import { Index, MetricKind, ScalarKind } from 'usearch';
import { rng } from './fixtures.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: usearch-readd-child.ts <dir>');
const DIMS = 16;
const KEPT = 20;
const REMOVED = 500;
const next = rng(18);
const make = () =>
  new Index({ dimensions: DIMS, metric: MetricKind.Cos, quantization: ScalarKind.F32, connectivity: 16, expansion_add: 128, expansion_search: 64, multi: false });
const vectors = (n: number) => Float32Array.from({ length: n * DIMS }, () => next() - 0.5);
const keys = (from: number, n: number) => BigUint64Array.from({ length: n }, (_, i) => BigInt(from + i));
const reload = (index: Index, file: string): Index => {
  index.save(path.join(dir, file));
  const loaded = make();
  loaded.load(path.join(dir, file));
  return loaded;
};

const viewOf = (file: string): Index => {
  const viewed = make();
  viewed.view(path.join(dir, file));
  return viewed;
};

let index = make();
index.add(keys(1, KEPT), vectors(KEPT), 1);
index.add(keys(1000, REMOVED), vectors(REMOVED), 0);
index = reload(index, 'a.usearch');
for (let i = 0; i < REMOVED; i++) index.remove(BigInt(1000 + i));
index = reload(index, 'b.usearch');
const viewed = viewOf('b.usearch');
const kept = viewed.search(vectors(1), KEPT, 1);
if (viewed.size() !== KEPT || kept.keys.length !== KEPT || kept.keys.some((k) => k > BigInt(KEPT))) throw new Error(`wrong view: size ${viewed.size()}, found ${kept.keys.join(' ')}`);
const fresh = vectors(REMOVED);
index.add(keys(100_000, REMOVED), fresh, 0);
const hit = index.search(fresh.subarray(0, DIMS), 1, 1);
if (index.size() !== KEPT + REMOVED || hit.keys[0] !== 100_000n) throw new Error(`wrong state: size ${index.size()}, nearest ${hit.keys[0]}`);
process.stdout.write('ok\n');
