/**
 * What bounding keyword search's work costs in ranking, and saves in time, at a size the public eval
 * sets do not reach:
 *   node --import tsx bench/keyword-plan.ts [--size 100000] [--plans 1e12:1e12,6000:1e12,2000:60000] [--dir DIR]
 * Builds the store bench's synthetic index (passages drawn from SciFact abstracts, each document on
 * one abstract's topic; `--dir` keeps it for the next run), then runs SciFact's 300 test claims through
 * sparseSearch (top 100, as hybrid asks) with each plan, `selectiveRows:budgetRows`. Per plan: CPU time
 * per query p50 / p95 (process.cpuUsage, so other jobs on the machine inflate it less than wall time)
 * and nDCG@10 over documents, a document relevant when its topic is one of the claim's gold abstracts.
 * Prints a table and one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { openEmbeddedStore } from '../src/retrieval/embedded/index.js';
import { IndexLayout } from '../src/retrieval/embedded/layout.js';
import { LiveGeneration } from '../src/retrieval/embedded/live-generation.js';
import { DEFAULT_SPARSE, sparseSearch, type SparseOptions } from '../src/retrieval/embedded/sparse.js';
import { DEFAULT_HNSW } from '../src/retrieval/embedded/vector-index.js';
import { percentiles } from './percentiles.js';
import { buildIndex, loadCorpus } from './store.js';

const SCIFACT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/eval/scifact');
const { values } = parseArgs({ options: { size: { type: 'string', default: '100000' }, plans: { type: 'string', default: '1e12:1e12,6000:1e12,2000:60000' }, dir: { type: 'string' } } });
const size = Number(values.size);
const plans = values.plans.split(',').map((p) => {
  const [selectiveRows, budgetRows] = p.split(':').map(Number);
  return { name: p, opts: { ...DEFAULT_SPARSE, selectiveRows: selectiveRows!, budgetRows: budgetRows! } };
});
const logger = pino({ level: 'silent' });
const corpus = loadCorpus();
const dataDir = values.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-keyword-plan-'));
if (!fs.existsSync(path.join(dataDir, 'index'))) {
  process.stderr.write(`[bench] building ${size} chunks in ${dataDir}\n`);
  const store = await openEmbeddedStore({ dataDir, logger });
  await buildIndex(store, corpus, size);
  await store.close();
}

// The store bench gives document d the topic of the d-th abstract (mod their count) among those it keeps.
const lines = (file: string) => fs.readFileSync(path.join(SCIFACT, file), 'utf8').split('\n').filter((l) => l.trim());
const abstractIds = lines('corpus.jsonl')
  .map((l) => JSON.parse(l) as { _id: string; text: string })
  .filter((d) => (d.text.match(/[\p{L}\p{N}]+/gu) ?? []).length > 20)
  .map((d) => d._id);
const gold = new Map<string, Set<string>>();
for (const line of lines('qrels/test.tsv').slice(1)) {
  const [q, d] = line.split('\t');
  gold.set(q!, (gold.get(q!) ?? new Set()).add(d!));
}
const claims = lines('queries.jsonl').map((l) => JSON.parse(l) as { _id: string; text: string }).filter((q) => gold.has(q._id));
const topicOf = (docId: string) => abstractIds[Number(docId.replace(/^doc-/, '')) % abstractIds.length]!;

const live = new LiveGeneration(new IndexLayout(dataDir), DEFAULT_HNSW, logger);
const db = live.get()!.db;
const documents = db.listDocuments().map((d) => d.docId);
const idcg = (relevant: number) => Array.from({ length: Math.min(10, relevant) }, (_, i) => 1 / Math.log2(i + 2)).reduce((a, b) => a + b, 0);

function measure(opts: SparseOptions) {
  for (const q of claims) sparseSearch(db, q.text, 100, undefined, opts);
  const cpu: number[] = [];
  let ndcg = 0;
  for (const q of claims) {
    const started = process.cpuUsage();
    const hits = sparseSearch(db, q.text, 100, undefined, opts);
    const used = process.cpuUsage(started);
    cpu.push((used.user + used.system) / 1000);
    const chunks = db.chunksByRowid(hits.map((h) => h.id));
    const ranked = [...new Set(hits.map((h) => chunks.get(h.id)!.docId))].slice(0, 10);
    const wanted = gold.get(q._id)!;
    const dcg = ranked.reduce((sum, d, i) => sum + (wanted.has(topicOf(d)) ? 1 / Math.log2(i + 2) : 0), 0);
    ndcg += dcg / idcg(documents.filter((d) => wanted.has(topicOf(d))).length);
  }
  return { cpu: percentiles(cpu), ndcg_at_10: Number((ndcg / claims.length).toFixed(4)) };
}

try {
  const results = plans.map((p) => ({ plan: p.name, ...measure(p.opts) }));
  console.log(`${size} chunks, ${claims.length} SciFact claims, sparse top 100; plan = selectiveRows:budgetRows`);
  console.log(['plan'.padEnd(16), 'cpu p50 / p95 ms'.padEnd(20), 'nDCG@10'].join(''));
  for (const r of results) console.log([r.plan.padEnd(16), `${r.cpu.p50_ms} / ${r.cpu.p95_ms}`.padEnd(20), String(r.ndcg_at_10)].join(''));
  console.log(JSON.stringify({ size, results }));
} finally {
  live.close();
  if (!values.dir) fs.rmSync(dataDir, { recursive: true, force: true });
}
