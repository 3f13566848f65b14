/**
 * How often extractive answers (no language model) over the Bolt docs cite one of the question's
 * gold documents (its qrels), over the set's answerable questions; the target is at least 80%.
 * Indexes ../shared/eval/bolt-docs/docs under CAIRN_DATA_DIR/eval/ (reused between runs).
 *
 *   CAIRN_DATA_DIR=/tmp/cairn-eval node --import tsx bench/extractive-gold.ts [dataset dir]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAgent, calculatorArithmetic } from '../src/agent/index.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/core/logger.js';
import { createEmbedder } from '../src/embed/factory.js';
import { evaluateDataset } from '../src/eval/answers/index.js';
import { silentProgress } from '../src/ingest/index.js';
import { createReranker } from '../src/retrieval/rerank/index.js';
import { closeCalculator } from '../src/tools/index.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = 0.8;

export interface ExtractiveGold {
  gold_doc_cited: number;
  answerable: number;
  by_kind: Record<string, number>;
  evidence_in_cited: number;
}

export async function benchExtractiveGold(dir = path.join(REPO_ROOT, '../shared/eval/bolt-docs')): Promise<ExtractiveGold> {
  const loaded = loadConfig();
  // Extractive mode whatever the environment says: no model writes these answers.
  const config = { ...loaded, llm: { ...loaded.llm, enabled: false } };
  const logger = createLogger({ level: 'warn', content: false });
  const embedder = createEmbedder(config.embedding, { dataDir: config.dataDir, logger });
  const reranker = createReranker(config.retrieval, logger);
  try {
    const report = await evaluateDataset(dir, {
      config, embedder, reranker, logger, judge: null, progress: silentProgress(),
      makeAgent: (retriever) => createAgent({ config, retriever, ...(reranker ? { reranker } : {}), arithmetic: calculatorArithmetic, logger }),
    });
    const cited = report.averages.gold_doc_cited;
    return {
      gold_doc_cited: cited?.mean ?? 0,
      answerable: cited?.n ?? 0,
      by_kind: Object.fromEntries(Object.entries(report.byKind).flatMap(([kind, m]) => (m.gold_doc_cited ? [[kind, m.gold_doc_cited.mean]] : []))),
      evidence_in_cited: report.averages.evidence_in_cited?.mean ?? 0,
    };
  } finally {
    await closeCalculator();
    await embedder.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await benchExtractiveGold(process.argv[2]);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`extractive answers citing a gold document: ${pct(result.gold_doc_cited)} of ${result.answerable} answerable questions (target ${pct(TARGET)})`);
  console.log(`by kind: ${Object.entries(result.by_kind).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}; evidence phrase in a cited passage: ${pct(result.evidence_in_cited)}`);
  console.log(JSON.stringify(result));
  if (result.gold_doc_cited < TARGET) process.exitCode = 1;
}
