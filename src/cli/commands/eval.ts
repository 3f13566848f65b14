import type { Command } from 'commander';
import { createAnsweringAgent } from '../../app/answering-agent.js';
import type { Config } from '../../config/config.js';
import { CairnError } from '../../core/errors.js';
import { createEmbedder } from '../../embed/factory.js';
import {
  casesFromFeedback, createJudge, defaultReportDir, evaluateCases, evaluateDataset, formatAnswerReport, reportSummary, writeReports, type AnswerReport,
} from '../../eval/answers/index.js';
import { evaluateRetrieval, type RetrievalReport } from '../../eval/retrieval-eval.js';
import { readFeedbackDataset } from '../../feedback/feedback-dataset.js';
import { createProgress } from '../../ingest/index.js';
import { createReranker, LexicalReranker } from '../../retrieval/rerank/index.js';
import { closeCalculator } from '../../tools/index.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { allAccessGroups, positiveInt } from '../options.js';
import { withFeedbackStore } from '../with-feedback-store.js';
import { registerTuneEval } from './eval-tune.js';
import { cliLogger, withRuntime } from '../with-runtime.js';

export const registerEval: RegisterCommand = (program, ctx) => {
  const evalCmd = program.command('eval').description('Measure retrieval and answer quality on a BEIR-layout dataset.');
  registerRetrievalEval(evalCmd, ctx);
  registerAnswersEval(evalCmd, ctx);
  registerTuneEval(evalCmd, ctx);
};

function registerRetrievalEval(evalCmd: Command, ctx: CliContext): void {
  evalCmd
    .command('retrieval')
    .description('nDCG@10, recall@k (default 100) and MRR@10 for dense, sparse, hybrid and reranked search (document level), as BEIR reports them.')
    .requiredOption('--dataset <dir>', 'folder with corpus.jsonl, queries.jsonl and qrels/test.tsv')
    .option('--k <n>', 'cut-off for recall', positiveInt(1000), 100)
    .option('--keep-identical-ids', "keep hits whose document id equals the query id (BEIR's evaluation drops them)")
    .option('--json', 'print one JSON object')
    .action(async (opts: { dataset: string; k: number; keepIdenticalIds?: boolean; json?: boolean }) => {
      const config = ctx.config();
      const logger = cliLogger(config);
      const embedder = createEmbedder(config.embedding, { dataDir: config.dataDir, logger });
      try {
        const report = await evaluateRetrieval(opts.dataset, opts.k, {
          config, embedder, logger,
          // The reranked row measures the configured reranker, or the offline lexical one when none is on.
          reranker: createReranker(config.retrieval, logger) ?? new LexicalReranker(),
          progress: createProgress(ctx.stderr),
          ...(opts.keepIdenticalIds ? { keepIdenticalIds: true } : {}),
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
  return { ...r.runs, queries: r.queries, docs: r.docs, chunks: r.chunks, dataset: r.dataset, embedder: r.embedder, fusion: r.fusion, reranker: r.reranker, identicalIds: r.identicalIds };
}

function formatReport(r: RetrievalReport): string {
  const rows = Object.entries(r.runs).map(([name, m]) => `${name.padEnd(9)} ${Object.values(m).map((v) => v.toFixed(4).padStart(9)).join('')}`);
  const head = `${'run'.padEnd(9)}${[`recall@${r.k}`, 'mrr@10', 'ndcg@10'].map((h) => h.padStart(9)).join('')}`;
  return [
    `${r.dataset}: ${r.queries} judged queries, ${r.docs} documents, ${r.chunks} chunks; embedder ${r.embedder}`,
    `fusion ${r.fusion.method} (dense weight ${r.fusion.denseWeight}${r.fusion.method === 'rrf' ? `, k ${r.fusion.rrfK}` : ''}); reranker ${r.reranker ?? 'off'}; hits with the query's own id ${r.identicalIds}`,
    head,
    ...rows,
    '',
  ].join('\n');
}

interface AnswersOptions {
  dataset?: string;
  fromFeedback?: string | true;
  out?: string;
  limit?: number;
  json?: boolean;
}

function registerAnswersEval(evalCmd: Command, ctx: CliContext): void {
  evalCmd
    .command('answers')
    .description('Answer quality (RAGAS faithfulness, answer relevancy, context precision and recall; citation precision) and judge-free checks (gold document cited, evidence, declines, citation markers, retrieval); writes JSON and HTML reports.')
    .option('--dataset <dir>', 'BEIR-layout folder with queries.jsonl, qrels/test.tsv, answers.jsonl and docs/ or corpus.jsonl')
    .option('--from-feedback [dir]', 'replay 👎 answers against the live index: from the feedback store, or from a folder written by `cairn feedback export`')
    .option('--out <dir>', 'folder for answers-report.json and answers-report.html (default: <data dir>/eval/reports/<name>-<time>)')
    .option('--limit <n>', 'only the first n questions', positiveInt(1_000_000))
    .option('--json', 'print the summary (averages, judge, reports) as one JSON object')
    .action(async (opts: AnswersOptions) => {
      if (Boolean(opts.dataset) === Boolean(opts.fromFeedback)) {
        throw new CairnError('INPUT', 'Give either --dataset DIR or --from-feedback [DIR] (one of them).');
      }
      const config = ctx.config();
      const report = opts.dataset ? await datasetReport(ctx, config, opts.dataset, opts.limit) : await feedbackReport(ctx, config, opts.fromFeedback!, opts.limit);
      if (!report) return;
      const written = await writeReports(report, opts.out ?? defaultReportDir(config.dataDir, report.dataset));
      ctx.stdout.write(opts.json ? `${JSON.stringify(reportSummary(report, written))}\n` : formatAnswerReport(report, written));
    });
}

async function datasetReport(ctx: CliContext, config: Config, dir: string, limit: number | undefined): Promise<AnswerReport> {
  const logger = cliLogger(config);
  const embedder = createEmbedder(config.embedding, { dataDir: config.dataDir, logger });
  const reranker = createReranker(config.retrieval, logger);
  try {
    const { judge, note } = createJudge(config.llm, embedder);
    return await evaluateDataset(dir, {
      config, embedder, reranker, logger, judge, ...(note ? { judgeNote: note } : {}), ...(limit ? { limit } : {}),
      progress: createProgress(ctx.stderr),
      makeAgent: (retriever) => createAnsweringAgent({ retriever, reranker, logger }, config),
      onAnswered: answeredLine(ctx),
    });
  } finally {
    await closeCalculator();
    await embedder.close?.();
  }
}

/** 👎 cases from the store (or an exported folder), answered again over the live index. */
async function feedbackReport(ctx: CliContext, config: Config, from: string | true, limit: number | undefined): Promise<AnswerReport | null> {
  const rows = from === true ? await withFeedbackStore(config, (store) => store.evalCases()) : await readFeedbackDataset(from);
  const cases = casesFromFeedback(rows).slice(0, limit ?? Infinity);
  if (cases.length === 0) {
    ctx.stderr.write('No 👎 feedback to replay yet: eval cases appear when someone votes an answer down.\n');
    return null;
  }
  return withRuntime(ctx, async (rt) => {
    try {
      const { judge, note } = createJudge(config.llm, rt.embedder);
      return await evaluateCases(
        cases,
        {
          config, embedder: rt.embedder, logger: rt.logger, judge, ...(note ? { judgeNote: note } : {}),
          retriever: rt.retriever, accessGroups: await allAccessGroups(rt), docIdOf: (source) => source,
          makeAgent: (retriever) => createAnsweringAgent({ ...rt, retriever }, config),
          onAnswered: answeredLine(ctx),
        },
        { source: 'feedback', name: 'feedback' },
      );
    } finally {
      await closeCalculator();
    }
  });
}

function answeredLine(ctx: CliContext) {
  return (done: number, total: number) => {
    if (done % 10 === 0 || done === total) ctx.stderr.write(`answers: ${done}/${total}\n`);
  };
}
