import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import { CairnError } from '../../core/errors.js';
import { createEmbedder } from '../../embed/factory.js';
import { loadBeirDataset, loadJudgedQueries } from '../../eval/beir.js';
import { openEvalIndex } from '../../eval/eval-index.js';
import { tuneFusion, type TuneDeps, type TuneReport, type TuneRow } from '../../eval/fusion-tune.js';
import { createProgress } from '../../ingest/index.js';
import { createReranker, LexicalReranker } from '../../retrieval/rerank/index.js';
import type { CliContext } from '../context.js';
import { setEnvVariables } from '../env-file.js';
import { allAccessGroups, positiveInt } from '../options.js';
import { cliLogger, withRuntime } from '../with-runtime.js';

interface TuneOptions {
  dataset?: string;
  fromFeedback?: string;
  k: number;
  keepIdenticalIds?: boolean;
  json?: boolean;
  write?: string;
  top: number;
}

/** Below this many judged questions a winner says more about the questions than about the corpus. */
const FEW_QUERIES = 30;

export function registerTuneEval(evalCmd: Command, ctx: CliContext): void {
  evalCmd
    .command('tune')
    .description('Sweep fusion method, dense weight, RRF k and reranking on your own labelled questions; print the table and, with --write, save the winner to an env file.')
    .option('--dataset <dir>', 'BEIR-layout folder (corpus.jsonl, queries.jsonl, qrels/test.tsv): indexed into a throw-away index')
    .option('--from-feedback <dir>', 'a folder from `cairn feedback export` with qrels/test.tsv added: swept over the live index')
    .option('--k <n>', 'cut-off for recall', positiveInt(1000), 100)
    .option('--keep-identical-ids', "keep hits whose document id equals the query id (BEIR's evaluation drops them)")
    .option('--top <n>', 'rows to print', positiveInt(1000), 12)
    .option('--json', 'print one JSON object')
    .option('--write <env-file>', 'set FUSION, FUSION_DENSE_WEIGHT, RRF_K and RERANKER to the winner in this env file (other lines kept)')
    .action(async (opts: TuneOptions) => {
      if (Boolean(opts.dataset) === Boolean(opts.fromFeedback)) {
        throw new CairnError('INPUT', 'Give either --dataset DIR or --from-feedback DIR (one of them).');
      }
      const config = ctx.config();
      const progress = (done: number, total: number) => ctx.stderr.write(`settings: ${done}/${total}\n`);
      const report = opts.dataset ? await tuneOnDataset(ctx, config, opts, progress) : await tuneOnFeedback(ctx, config, opts, progress);
      if (report.rows.length === 0 || report.queries === 0) throw new CairnError('INPUT', 'No question has a relevant document in qrels/test.tsv: nothing to tune on.');
      const written = opts.write ? await writeWinner(opts.write, report.rows[0]!, config) : null;
      ctx.stdout.write(opts.json ? `${JSON.stringify({ ...report, written })}\n` : formatTune(report, opts.top, written, opts.write));
    });
}

async function tuneOnDataset(ctx: CliContext, config: Config, opts: TuneOptions, onProgress: TuneDeps['onProgress']): Promise<TuneReport> {
  const logger = cliLogger(config);
  const embedder = createEmbedder(config.embedding, { dataDir: config.dataDir, logger });
  try {
    const dataset = await loadBeirDataset(opts.dataset!);
    const reranker = sweepReranker(config, logger);
    const index = await openEvalIndex(opts.dataset!, dataset.name, { config, embedder, reranker, logger, progress: createProgress(ctx.stderr) }, { from: 'corpus' });
    try {
      return await tuneFusion(dataset, opts.k, {
        store: index.store, embedder, reranker, accessGroups: index.accessGroups, current: current(config), onProgress,
        ...(opts.keepIdenticalIds ? { keepIdenticalIds: true } : {}),
      });
    } finally {
      await index.close();
    }
  } finally {
    await embedder.close?.();
  }
}

async function tuneOnFeedback(ctx: CliContext, config: Config, opts: TuneOptions, onProgress: TuneDeps['onProgress']): Promise<TuneReport> {
  const judged = await loadJudgedQueries(opts.fromFeedback!);
  return withRuntime(ctx, async (rt) =>
    tuneFusion(judged, opts.k, {
      store: rt.store, embedder: rt.embedder, reranker: sweepReranker(config, rt.logger), accessGroups: await allAccessGroups(rt), current: current(config), onProgress,
      // Feedback query ids are request ids, never document ids: nothing to drop.
      keepIdenticalIds: true,
    }),
  );
}

/** The configured reranker, or the offline lexical one when it is off, so the sweep can tell whether reranking pays. */
function sweepReranker(config: Config, logger: ReturnType<typeof cliLogger>) {
  return createReranker(config.retrieval, logger) ?? new LexicalReranker();
}

function current(config: Config): TuneDeps['current'] {
  const { fusion, denseWeight, rrfK, reranker } = config.retrieval;
  return { fusion, denseWeight, rrfK, rerank: reranker !== 'off' };
}

async function writeWinner(file: string, winner: TuneRow, config: Config): Promise<Record<string, string>> {
  const s = winner.setting;
  const values: Record<string, string> = { FUSION: s.fusion, FUSION_DENSE_WEIGHT: String(s.denseWeight) };
  if (s.fusion === 'rrf') values.RRF_K = String(s.rrfK);
  if (!s.rerank) values.RERANKER = 'off';
  // The sweep reranked with the lexical scorer when none was configured: that is what won.
  else if (config.retrieval.reranker === 'off') values.RERANKER = 'lexical';
  await setEnvVariables(path.resolve(file), values);
  return values;
}

function describe(r: TuneRow): string {
  const s = r.setting;
  const fusion = s.fusion === 'rrf' ? `rrf k=${s.rrfK} w=${s.denseWeight}` : `linear w=${s.denseWeight}`;
  return `${fusion}${s.rerank ? ' + rerank' : ''}`;
}

function formatTune(report: TuneReport, top: number, written: Record<string, string> | null, file: string | undefined): string {
  const recall = `recall@${report.k}`;
  const cols = ['ndcg@10', recall, 'mrr@10'];
  const shown = report.rows.slice(0, top);
  const cur = report.rows.find((r) => r.current);
  if (cur && !shown.includes(cur)) shown.push(cur);
  const line = (r: TuneRow) =>
    `${String(report.rows.indexOf(r) + 1).padStart(3)}  ${describe(r).padEnd(26)}${cols.map((c) => r.metrics[c]!.toFixed(4).padStart(11)).join('')}${r.current ? '  ← current' : ''}`;
  const out = [
    `${plural(report.queries, 'judged question')}, ${report.rows.length} settings; reranker ${report.reranker ?? 'none'}`,
    `  #  ${'setting'.padEnd(26)}${cols.map((c) => c.padStart(11)).join('')}`,
    ...shown.map(line),
  ];
  if (report.queries < FEW_QUERIES) out.push(`Only ${plural(report.queries, 'question')}: differences this small may be noise; label more before trusting the winner.`);
  if (written) out.push(`Wrote ${Object.entries(written).map(([k, v]) => `${k}=${v}`).join(' ')} to ${file} (load it with \`node --env-file=${file}\` or your process manager).`);
  return `${out.join('\n')}\n`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
