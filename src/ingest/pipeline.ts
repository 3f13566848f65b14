import type { Config } from '../config/config.js';
import { chunkId, type GroupedDocument, type IndexedDocument, type SourceDocument } from '../core/documents.js';
import type { Embedder } from '../core/embedder.js';
import { CairnError, isCairnError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { VectorStore } from '../core/store.js';
import type { ChunkSettings } from './chunker.js';
import { AccessRulesFile, resolveGroup, type AccessRules } from './access-groups.js';
import { isUnderRoot, normaliseSource } from './discover.js';
import { embedAndWrite, type WriteUnit } from './embed-write.js';
import { chunkAll, writeChanged } from './write-changed.js';
import type { IngestProgress } from './progress.js';
import { readAll, type ReadResult } from './read.js';
import type { IngestSummary } from './summary.js';
import { turnTaker } from './turns.js';

/** What `cairn ingest [paths...] --include --exclude --access-group [--full]` passes in. */
export interface IngestOptions {
  /** Files and directories, as the user typed them; they become the documents' sources. */
  paths: string[];
  /** Globs under each directory; default: every supported extension. A pattern without "/" matches at any depth. */
  include?: string[];
  /** Globs to leave out, added to node_modules/.git; dotfiles are always left out. */
  exclude?: string[];
  /**
   * `--access-group`: the group for these paths, remembered as their folder rule so every later
   * ingest keeps it (see access-groups.ts for how it combines with the other rules).
   */
  accessGroup?: string;
  /** `--reset-access`: forget the folder rules under these paths and the groups their documents are indexed with. */
  resetAccess?: boolean;
  /** The group of a new document no rule names (DEFAULT_ACCESS_GROUP). */
  defaultAccessGroup: string;
  /** Groups anyone may read: a rule naming another group is the stricter one. */
  publicAccessGroups: string[];
  chunkSize: number;
  chunkOverlap: number;
  maxFileBytes: number;
  /** Where relative paths start; default the process's working directory. */
  cwd?: string;
  /** Chunks per embedding call; each batch is written before the next is embedded. Default 64. */
  embedBatchSize?: number;
  /** Stops between batches; documents already written stay. */
  signal?: AbortSignal;
}

/** The options every ingest from configuration shares (start, /cairn-reindex, `cairn ingest`). */
export function ingestOptionsFrom(
  config: {
    ingest: Pick<Config['ingest'], 'defaultAccessGroup' | 'chunkSize' | 'chunkOverlap' | 'maxFileBytes'>;
    embedding: Pick<Config['embedding'], 'batchSize'>;
    access: Pick<Config['access'], 'publicGroups'>;
  },
  paths: string[],
): IngestOptions {
  const { ingest: i } = config;
  return {
    paths, defaultAccessGroup: i.defaultAccessGroup, publicAccessGroups: config.access.publicGroups,
    chunkSize: i.chunkSize, chunkOverlap: i.chunkOverlap, maxFileBytes: i.maxFileBytes, embedBatchSize: config.embedding.batchSize,
  };
}

export interface IngestDeps {
  store: VectorStore;
  embedder: Embedder;
  logger: Logger;
  progress: IngestProgress;
  /** Remembered folder rules (`<dataDir>/access-rules.json`); in memory for this run when absent. */
  accessRules?: AccessRules;
}

const DEFAULT_EMBED_BATCH = 64;

/**
 * Incremental ingest: unchanged documents (same hash) are skipped, changed ones replaced, and documents
 * whose file vanished from under one of `paths` removed. Documents from other paths are never touched,
 * and neither is the indexed copy of a file that failed this run (the failure is reported instead).
 */
export async function ingest(options: IngestOptions, deps: IngestDeps): Promise<IngestSummary> {
  const started = performance.now();
  const chunking = checkOptions(options);
  const { store, embedder, progress } = deps;
  // An OpenAI-compatible embedder learns its dimensions here; `id` is final only after it.
  await embedder.ready?.();
  await store.assertEmbedder({ id: embedder.id, dimensions: embedder.dimensions });
  try {
    const read = await readAll(readOptions(options, chunking), progress);
    const stored = new Map((await store.listDocuments()).map((d) => [d.docId, d]));
    const grouped = withGroups(read.documents, stored, options, deps, read.warnings);
    const written = await writeChanged(grouped, stored, deps, { chunking, ...batchOptions(options) }, read.failures);
    const vanished = [...stored.values()].filter((d) => !survives(d, read));
    if (vanished.length > 0) await store.deleteDocuments(vanished.map((d) => d.docId));
    return finish(deps, started, read, {
      documents: written.documents,
      chunks: written.chunks,
      skipped: written.skipped,
      removed: vanished.length,
      carriedOver: 0,
    });
  } finally {
    progress.finish();
  }
}

/**
 * `--full`: re-chunks and re-embeds everything into a fresh index that replaces the live one on commit
 * (readers keep the old one until then; any error aborts it). Use it after changing the embedder.
 * Documents the index holds from other paths, or for files that failed this run, are carried over:
 * their stored chunks are re-embedded with the current embedder.
 */
export async function ingestFull(options: IngestOptions, deps: IngestDeps): Promise<IngestSummary> {
  const started = performance.now();
  const chunking = checkOptions(options);
  const { store, embedder, progress } = deps;
  await embedder.ready?.();
  const build = await store.beginRebuild({ id: embedder.id, dimensions: embedder.dimensions });
  try {
    const read = await readAll(readOptions(options, chunking), progress);
    const previous = await carriedCandidates(deps);
    const grouped = withGroups(read.documents, new Map(previous.map((d) => [d.docId, d])), options, deps, read.warnings);
    const fresh = await chunkAll(grouped, chunking, read.failures, progress);
    const freshIds = new Set(fresh.map((u) => u.document.docId));
    const carried = await storedUnits(store, previous.filter((d) => !freshIds.has(d.docId) && survives(d, read)));
    const written = await embedAndWrite([...fresh, ...carried], (doc) => build.write(doc), embedder, progress, batchOptions(options));
    await build.commit();
    const carriedIds = new Set(carried.map((u) => u.document.docId));
    return finish(deps, started, read, {
      documents: fresh.length,
      chunks: written - carried.reduce((n, u) => n + u.chunks.length, 0),
      skipped: 0,
      removed: previous.filter((d) => !freshIds.has(d.docId) && !carriedIds.has(d.docId)).length,
      carriedOver: carried.length,
    });
  } catch (err) {
    // The original error is what the user must see; a failed abort only leaves a stale build behind.
    await build.abort().catch((abortErr: unknown) => deps.logger.warn({ err: abortErr }, 'could not abort the re-index build'));
    throw err;
  } finally {
    progress.finish();
  }
}

function checkOptions(options: IngestOptions): ChunkSettings {
  if (options.paths.length === 0) throw new CairnError('INPUT', 'Give at least one file or directory to ingest, e.g. `cairn ingest docs/`.');
  if (!(options.chunkOverlap >= 0 && options.chunkOverlap < options.chunkSize)) {
    throw new CairnError('INPUT', `CHUNK_OVERLAP (${options.chunkOverlap}) must be at least 0 and less than CHUNK_SIZE (${options.chunkSize}).`);
  }
  return { chunkSize: options.chunkSize, chunkOverlap: options.chunkOverlap };
}

function readOptions(options: IngestOptions, chunking: ChunkSettings) {
  return { ...options, chunking, cwd: options.cwd ?? process.cwd() };
}

function batchOptions(options: IngestOptions) {
  return { batchSize: Math.max(1, options.embedBatchSize ?? DEFAULT_EMBED_BATCH), signal: options.signal };
}

/** Each document with its access group from the rules (access-groups.ts); every disagreement is reported. */
function withGroups(docs: SourceDocument[], stored: ReadonlyMap<string, IndexedDocument>, options: IngestOptions, deps: IngestDeps, warnings: string[]): GroupedDocument[] {
  const rules = deps.accessRules ?? new AccessRulesFile(null);
  rules.set(options.paths, options.accessGroup, options.resetAccess ?? false);
  const policy = { defaultGroup: options.defaultAccessGroup, publicGroups: options.publicAccessGroups };
  return docs.map((doc) => {
    const indexed = options.resetAccess && options.paths.some((p) => isUnderRoot(doc.source, { source: normaliseSource(p), kind: 'dir' })) ? undefined : stored.get(doc.id);
    const { group, warning } = resolveGroup(doc, rules.groupFor(doc.source), indexed, policy);
    if (warning) {
      warnings.push(warning);
      deps.logger.warn({ source: doc.source, group }, 'access group rules disagree; the stricter group is kept');
    }
    return { ...doc, accessGroup: group };
  });
}

/**
 * Whether an indexed document stays: it lies outside every path given, or it was seen this run, or its
 * file failed this run (a bad read must not wipe the last good copy).
 */
function survives(doc: IndexedDocument, read: ReadResult): boolean {
  if (!read.roots.some((root) => isUnderRoot(doc.source, root))) return true;
  if (read.seenIds.has(doc.docId)) return true;
  return [...read.keptSources].some((file) => doc.source === file || doc.source.startsWith(`${file}#`));
}

/**
 * What the live index holds, for carrying over documents from other paths. A damaged index cannot
 * say, and is what this rebuild repairs: it then rebuilds from the given paths alone.
 */
async function carriedCandidates({ store, logger }: IngestDeps): Promise<IndexedDocument[]> {
  try {
    return await store.listDocuments();
  } catch (err) {
    if (!isCairnError(err, 'INDEX_DAMAGED')) throw err;
    // The message, not the error: its cause is SQLite's raw complaint, which says nothing a user can act on.
    logger.warn({ damage: err.message }, 'the current index is damaged: rebuilding from the given paths only, so documents it held from other paths are not carried over');
    return [];
  }
}

async function storedUnits(store: VectorStore, docs: IndexedDocument[]): Promise<WriteUnit[]> {
  const units: WriteUnit[] = [];
  const takeTurn = turnTaker();
  for (const doc of docs) {
    await takeTurn();
    const ids = Array.from({ length: doc.chunks }, (_, i) => chunkId(doc.docId, i));
    const chunks = (await store.getChunks(ids)).sort((a, b) => a.chunkIndex - b.chunkIndex);
    if (chunks.length === 0) continue;
    units.push({ document: { docId: doc.docId, source: doc.source, title: doc.title, hash: doc.hash, accessGroup: doc.accessGroup }, chunks });
  }
  return units;
}

function finish(deps: IngestDeps, started: number, read: ReadResult, counts: Omit<IngestSummary, 'files' | 'failed' | 'warnings' | 'seconds'>): IngestSummary {
  const summary: IngestSummary = { files: read.files, ...counts, failed: read.failures, warnings: read.warnings, seconds: (performance.now() - started) / 1000 };
  deps.logger.info(
    { ...counts, files: summary.files, failed: summary.failed.map((f) => ({ source: f.source, reason: f.reason })), seconds: Number(summary.seconds.toFixed(2)) },
    'ingest finished',
  );
  return summary;
}
