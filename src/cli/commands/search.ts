import { Option } from 'commander';
import type { SearchHit, SearchMode } from '../../core/search.js';
import type { RegisterCommand } from '../context.js';
import { allAccessGroups, groupList, positiveInt } from '../options.js';
import { withRuntime } from '../with-runtime.js';
import { requireText } from '../required-text.js';

export const registerSearch: RegisterCommand = (program, ctx) => {
  program
    .command('search')
    .description('Search the index and print ranked chunks with score, source and snippet.')
    .argument('<query>', 'what to search for')
    .option('--k <n>', 'how many results', positiveInt(100), 10)
    .addOption(new Option('--mode <mode>', 'dense, sparse (BM25) or hybrid').choices(['hybrid', 'dense', 'sparse']).default('hybrid'))
    .option('--groups <groups>', 'comma-separated access groups to search (default: all)', groupList)
    .option('--json', 'print JSON')
    .action(async (asked: string, opts: { k: number; mode: SearchMode; groups?: string[]; json?: boolean }) => {
      const query = requireText(asked, 'The query is empty. Give the words to search for, e.g. cairn search "parental leave".');
      await withRuntime(ctx, async (rt) => {
        const accessGroups = opts.groups ?? (await allAccessGroups(rt));
        const hits = await rt.retriever.search(query, { k: opts.k, mode: opts.mode, accessGroups });
        ctx.stdout.write(opts.json ? `${JSON.stringify(hits.map(toJson), null, 2)}\n` : formatHits(hits));
      });
    });
};

function toJson(h: SearchHit, i: number) {
  const c = h.chunk;
  return {
    rank: i + 1, score: round(h.score), chunkId: c.id, docId: c.docId, source: c.source, ...(c.url ? { url: c.url } : {}),
    title: c.title, headingPath: c.headingPath, chunkIndex: c.chunkIndex, totalChunks: c.totalChunks, accessGroup: c.accessGroup, text: c.text,
  };
}

function formatHits(hits: SearchHit[]): string {
  if (hits.length === 0) return 'No results. Is anything indexed? Try `cairn ingest <folder>`.\n';
  return hits
    .map((h, i) => {
      const c = h.chunk;
      const where = [c.title, ...c.headingPath].filter(Boolean).join(' › ');
      return `${String(i + 1).padStart(2)}. ${round(h.score).toFixed(4)}  ${c.source}  (${c.chunkIndex + 1}/${c.totalChunks})\n    ${where}\n    ${snippet(c.text)}\n`;
    })
    .join('\n');
}

function snippet(text: string, max = 220): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
