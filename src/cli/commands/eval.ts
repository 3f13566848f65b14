import type { Command } from 'commander';
import { createEmbedder } from '../../embed/factory.js';
import { evaluateRetrieval, type RetrievalReport } from '../../eval/retrieval-eval.js';
import { createLogger } from '../../core/logger.js';
import { createProgress } from '../../ingest/index.js';
import { createReranker } from '../../retrieval/rerank/index.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { positiveInt } from './search.js';

export const registerEval: RegisterCommand = (program, ctx) => {
  const evalCmd = program.command('eval').description('Measure retrieval and answer quality on a BEIR-layout dataset.');
  registerRetrievalEval(evalCmd, ctx);
};

function registerRetrievalEval(evalCmd: Command, ctx: CliContext): void {
  evalCmd
    .command('retrieval')
    .description('recall@k, MRR@10 and nDCG@10 for dense, sparse, hybrid and reranked search (document level).')
    .requiredOption('--dataset <dir>', 'folder with corpus.jsonl, queries.jsonl and qrels/test.tsv')
    .option('--k <n>', 'cut-off for recall', positiveInt(100), 10)
    .option('--json', 'print one JSON object')
    .action(async (opts: { dataset: string; k: number; json?: boolean }) => {
      const config = ctx.config();
      const logger = createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level, content: false });
      const embedder = createEmbedder(config.embedding, { dataDir: config.dataDir, logger });
      try {
        const report = await evaluateRetrieval(opts.dataset, opts.k, {
          config, embedder, reranker: createReranker(config.retrieval, logger), logger,
          progress: createProgress(ctx.stderr),
          onQueries: (line) => ctx.stderr.write(`queries: ${line}\n`),
        });
        ctx.stdout.write(opts.json ? `${JSON.stringify(toJson(report))}\n` : formatReport(report));
      } finally {
        await embedder.close?.();
      }
    });
}

/** The documented --json shape: one object per run, then counts and what produced them. */
function toJson(r: RetrievalReport) {
  return { ...r.runs, queries: r.queries, docs: r.docs, chunks: r.chunks, dataset: r.dataset, embedder: r.embedder, fusion: r.fusion, reranker: r.reranker };
}

function formatReport(r: RetrievalReport): string {
  const rows = Object.entries(r.runs).map(([name, m]) => `${name.padEnd(9)} ${Object.values(m).map((v) => v.toFixed(4).padStart(9)).join('')}`);
  const head = `${'run'.padEnd(9)}${[`recall@${r.k}`, 'mrr@10', 'ndcg@10'].map((h) => h.padStart(9)).join('')}`;
  return [
    `${r.dataset}: ${r.queries} judged queries, ${r.docs} documents, ${r.chunks} chunks; embedder ${r.embedder}`,
    `fusion ${r.fusion.method} (dense weight ${r.fusion.denseWeight}${r.fusion.method === 'rrf' ? `, k ${r.fusion.rrfK}` : ''}); reranker ${r.reranker ?? 'off'}`,
    head,
    ...rows,
    '',
  ].join('\n');
}
