import { Option } from 'commander';
import { createProgress, formatSummary, ingest, ingestFull, ingestOptionsFrom, nothingIngested } from '../../ingest/index.js';
import type { RegisterCommand } from '../context.js';
import { groupName } from '../options.js';
import { withRuntime } from '../with-runtime.js';

export const registerIngest: RegisterCommand = (program, ctx) => {
  program
    .command('ingest')
    .description('Index files and folders (Markdown, text, HTML, PDF, JSONL); re-runs only re-index what changed.')
    .argument('[paths...]', 'files or folders to index (default: DOCS_DIR)')
    .addOption(new Option('--include <glob...>', 'only files matching these globs'))
    .addOption(new Option('--exclude <glob...>', 'leave out files matching these globs'))
    .option('--access-group <name>', 'access group for these paths, remembered for every later ingest (a document\'s own front matter, or a stricter group it already has, still wins)', groupName)
    .option('--reset-access', 'forget the remembered groups under these paths (to make documents less restricted on purpose)')
    .option('--full', 'rebuild the whole index into a fresh copy and swap it in when done')
    .action(async (paths: string[], opts: { include?: string[]; exclude?: string[]; accessGroup?: string; resetAccess?: boolean; full?: boolean }) => {
      await withRuntime(ctx, async (rt) => {
        const cfg = rt.config;
        const abort = new AbortController();
        const onSigint = () => abort.abort();
        process.once('SIGINT', onSigint);
        try {
          const options = {
            ...ingestOptionsFrom(cfg, paths.length > 0 ? paths : [cfg.ingest.docsDir]),
            ...(opts.include ? { include: opts.include } : {}),
            ...(opts.exclude ? { exclude: opts.exclude } : {}),
            ...(opts.accessGroup ? { accessGroup: opts.accessGroup } : {}),
            ...(opts.resetAccess ? { resetAccess: true } : {}),
            signal: abort.signal,
          };
          const deps = { store: rt.store, embedder: rt.embedder, logger: rt.logger, progress: createProgress(ctx.stderr), accessRules: rt.accessRules };
          const summary = opts.full ? await ingestFull(options, deps) : await ingest(options, deps);
          ctx.stdout.write(`${formatSummary(summary)}\n`);
          if (nothingIngested(summary)) ctx.setExitCode(1);
        } finally {
          process.off('SIGINT', onSigint);
        }
      });
    });
};
