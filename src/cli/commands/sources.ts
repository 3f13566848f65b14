import path from 'node:path';
import { createProgress } from '../../ingest/index.js';
import { describeSource, formatReport, SourceStateStore, syncSources } from '../../sources/index.js';
import type { RegisterCommand } from '../context.js';
import { withRuntime } from '../with-runtime.js';

export const registerSources: RegisterCommand = (program, ctx) => {
  const sources = program.command('sources').description('The sources in cairn.sources.yaml (SOURCES_FILE): web sites and folders.');

  sources
    .command('list')
    .description('Each source: type, where it reads from, access group, and how its last sync went.')
    .action(async () => {
      const config = ctx.config();
      const state = new SourceStateStore(path.join(config.dataDir, 'sources'));
      for (const source of config.sources) {
        const s = await state.load(source.id);
        const items = Object.values(s.items);
        const last = s.lastRun
          ? `last sync ${s.lastRun.status} at ${s.lastRun.at} (${s.lastRun.changed} changed, ${s.lastRun.removed} removed)${s.lastRun.error ? `: ${s.lastRun.error}` : ''}`
          : 'never synced';
        const group = source.accessGroup ?? config.ingest.defaultAccessGroup;
        ctx.stdout.write(`${source.id}  ${source.type}  ${describeSource(source)}  group ${group}  ${items.length} items, ${items.reduce((n, i) => n + i.docIds.length, 0)} documents  ${last}\n`);
      }
    });

  sources
    .command('sync')
    .description('Fetch what changed in one source (or all) and re-index just that; deletions follow only a complete listing.')
    .argument('[id]', 'the source to sync (default: all)')
    .option('--full', 'list from the start and fetch every item again; with no id, also drop the documents of sources removed from the file')
    .action(async (id: string | undefined, opts: { full?: boolean }) => {
      await withRuntime(ctx, async (rt) => {
        const abort = new AbortController();
        const onSigint = () => abort.abort();
        process.once('SIGINT', onSigint);
        try {
          const deps = { store: rt.store, embedder: rt.embedder, logger: rt.logger, progress: createProgress(ctx.stderr), accessRules: rt.accessRules, state: new SourceStateStore(path.join(rt.config.dataDir, 'sources')) };
          const { reports, removed } = await syncSources(rt.config, deps, { ...(id ? { id } : {}), full: opts.full ?? false, cwd: process.cwd(), signal: abort.signal });
          for (const r of reports) ctx.stdout.write(`${formatReport(r)}\n`);
          for (const r of removed) ctx.stdout.write(`${r.id}: no longer in the sources file; removed its ${r.documents} documents.\n`);
          if (reports.some((r) => r.status === 'failed')) ctx.setExitCode(1);
        } finally {
          process.off('SIGINT', onSigint);
        }
      });
    });
};
