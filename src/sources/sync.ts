import type { GroupedDocument, IndexedDocument, SourceDocument } from '../core/documents.js';
import type { Embedder } from '../core/embedder.js';
import type { Logger } from '../core/logger.js';
import type { VectorStore } from '../core/store.js';
import { resolveGroup, type AccessRules, type GroupPolicy } from '../ingest/access-groups.js';
import type { ChunkSettings } from '../ingest/chunker.js';
import type { IngestFailure } from '../ingest/failures.js';
import type { IngestProgress } from '../ingest/progress.js';
import type { IngestSummary } from '../ingest/summary.js';
import { writeChanged } from '../ingest/write-changed.js';
import type { GroupMapper, MappedGroup } from './groups.js';
import type { ItemState, Source, SourceItem } from './source.js';
import type { SourceState, SourceStateStore } from './state.js';

export interface SyncDeps {
  store: VectorStore;
  embedder: Embedder;
  logger: Logger;
  progress: IngestProgress;
  state: SourceStateStore;
  /** Remembered folder rules (`cairn ingest --access-group`); they apply to folder sources too. */
  accessRules?: AccessRules;
}

export interface SyncSettings extends GroupPolicy {
  chunking: ChunkSettings;
  batchSize: number;
  /** `--full`: list from the start (no resume) and fetch every item again, ignoring versions. */
  full: boolean;
  signal?: AbortSignal;
}

/** A configured source: the connector, the access group its documents get, and its `groups:` mapping. */
export interface SourceSpec {
  source: Source;
  accessGroup?: string;
  /** Sub-parts (paths, URLs) → groups; more specific than `accessGroup`. */
  groups?: GroupMapper;
}

export interface SyncReport {
  id: string;
  status: 'ok' | 'failed';
  /** Why the run failed; nothing was deleted. */
  error?: string;
  summary: IngestSummary;
  /** The source's own counters (requests made, …). */
  stats: Record<string, number>;
}

interface Run {
  spec: SourceSpec;
  settings: SyncSettings;
  deps: SyncDeps;
  state: SourceState;
  stored: Map<string, IndexedDocument>;
  /** Document ids other sources' states own, with the owner: this source must never write or adopt them. */
  others: Map<string, string>;
  seen: Set<string>;
  summary: IngestSummary;
}

/**
 * Syncs one source: lists it page by page, fetches only items whose version changed, re-embeds only
 * documents whose hash changed (writeChanged), and saves the state after every page so a run that
 * dies resumes where it stopped. Items no longer listed are deleted only once a listing has completed:
 * a listing that throws deletes nothing. Only documents this source's state owns are ever deleted, so
 * a failing source cannot touch another's. Never throws for the source's own failures: they come back
 * in the report (status `failed`) and in the state's `lastRun`.
 */
export async function syncSource(spec: SourceSpec, settings: SyncSettings, deps: SyncDeps): Promise<SyncReport> {
  const started = performance.now();
  const { source } = spec;
  const { store, embedder, logger } = deps;
  await embedder.ready?.();
  await store.assertEmbedder({ id: embedder.id, dimensions: embedder.dimensions });
  const state = await deps.state.load(source.id);
  const storedDocs = await store.listDocuments();
  const others = await ownedElsewhere(deps.state, source.id);
  adopt(source, storedDocs, state, others);
  const pass = !settings.full && state.pass ? state.pass : { cursor: null, seen: [] };
  const run: Run = { spec, settings, deps, state, stored: new Map(storedDocs.map((d) => [d.docId, d])), others, seen: new Set(pass.seen), summary: emptySummary() };
  let error: string | undefined;
  try {
    const listing = source.list({ ...(pass.cursor !== null ? { cursor: pass.cursor } : {}), previous: (id) => state.items[id], full: settings.full, signal: settings.signal });
    for await (const page of listing) {
      page.failures?.forEach((f) => report(run, f));
      await syncItems(run, page.items);
      state.pass = { cursor: page.cursor, seen: [...run.seen] };
      await deps.state.save(source.id, state);
    }
    run.summary.removed += await deleteUnlisted(run);
    state.pass = undefined;
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    deps.progress.finish();
  }
  const at = new Date().toISOString();
  const changed = run.summary.documents;
  state.lastRun = { status: error ? 'failed' : 'ok', at, changed, removed: run.summary.removed, ...(error ? { error } : {}) };
  if (!error) state.lastSuccess = at;
  await deps.state.save(source.id, state);
  run.summary.seconds = (performance.now() - started) / 1000;
  const stats = source.stats?.() ?? {};
  const fields = { source: source.id, files: run.summary.files, changed, skipped: run.summary.skipped, removed: run.summary.removed, failed: run.summary.failed.length, ...stats };
  if (error) logger.error({ ...fields, err: error }, 'source sync failed: its documents are kept and nothing was deleted');
  else logger.info({ ...fields, seconds: Number(run.summary.seconds.toFixed(2)) }, 'source sync finished');
  return { id: source.id, status: error ? 'failed' : 'ok', ...(error ? { error } : {}), summary: run.summary, stats };
}

/** Fetches what changed in one page of the listing, writes it, and records the items' new state. */
async function syncItems(run: Run, items: SourceItem[]): Promise<void> {
  const { spec, settings, state, summary } = run;
  const docs: GroupedDocument[] = [];
  const next = new Map<string, ItemState>();
  // A listing comes in pages of unknown number: each page is one "reading" phase of the progress.
  run.deps.progress.start('reading', items.length);
  for (const [i, item] of items.entries()) {
    run.deps.progress.update('reading', i + 1);
    // Listed twice (two sitemaps name it), or already handled by the attempt this run resumes.
    if (run.seen.has(item.id)) continue;
    run.seen.add(item.id);
    summary.files++;
    const previous = state.items[item.id];
    if (!settings.full && item.version !== undefined && previous?.version === item.version && item.fetched === undefined) {
      summary.skipped += previous.docIds.length;
      continue;
    }
    const result = item.fetched ?? (await spec.source.fetch(item, settings.full ? undefined : previous, { full: settings.full, signal: settings.signal }));
    if (result.kind === 'failed') {
      report(run, result.failure);
      continue;
    }
    if (result.kind === 'unchanged') {
      summary.skipped += previous?.docIds.length ?? 0;
      if (previous && result.state) state.items[item.id] = { ...previous, ...result.state, docIds: previous.docIds };
      continue;
    }
    result.failures.forEach((f) => report(run, f));
    const own = result.documents.filter((d) => !duplicate(run, d));
    const mapped = spec.groups?.(item);
    docs.push(...own.map((d) => withGroup(run, d, mapped)));
    const version = item.version ?? result.state.version;
    const keep = (result.keep ?? []).filter((id) => !run.others.has(id));
    next.set(item.id, { ...result.state, ...(version !== undefined ? { version } : {}), docIds: [...own.map((d) => d.id), ...keep] });
  }
  const counts = await writeChanged(docs, run.stored, run.deps, { chunking: settings.chunking, batchSize: settings.batchSize, signal: settings.signal }, summary.failed);
  summary.documents += counts.documents;
  summary.chunks += counts.chunks;
  summary.skipped += counts.skipped;
  // An item that now stands for fewer documents (a JSONL line removed) loses the others right away:
  // its own fetch was complete, whatever happens to the rest of the listing.
  const stale = [...next].flatMap(([id, s]) => (state.items[id]?.docIds ?? []).filter((d) => !s.docIds.includes(d)));
  if (stale.length > 0) await run.deps.store.deleteDocuments(stale);
  summary.removed += stale.length;
  for (const [id, s] of next) state.items[id] = s;
}

/** After a complete listing: the documents of items it no longer holds. */
async function deleteUnlisted(run: Run): Promise<number> {
  const gone = Object.keys(run.state.items).filter((id) => !run.seen.has(id));
  const docIds = gone.flatMap((id) => run.state.items[id]?.docIds ?? []);
  if (docIds.length > 0) await run.deps.store.deleteDocuments(docIds);
  for (const id of gone) delete run.state.items[id];
  return docIds.length;
}

/**
 * Documents indexed before this source kept state (DOCS_DIR ingested by `cairn ingest`) become its
 * items' documents, with no version, so they are checked once and removed if their file is gone.
 */
function adopt(source: Source, stored: IndexedDocument[], state: SourceState, others: Map<string, string>): void {
  if (!source.ownerOf) return;
  const owned = new Set(Object.values(state.items).flatMap((s) => s.docIds));
  for (const doc of stored) {
    if (owned.has(doc.docId) || others.has(doc.docId)) continue;
    const itemId = source.ownerOf(doc);
    if (itemId === undefined) continue;
    const item = (state.items[itemId] ??= { docIds: [] });
    item.docIds.push(doc.docId);
    delete item.version;
  }
}

/**
 * Which source owns each document id, from the other sources' states (configured or not: a removed
 * source's documents stay its own until the full sync that removes them). Read once per run: two
 * sources producing a new id in the same instant can still both write it, the next run then reports it.
 */
async function ownedElsewhere(states: SourceStateStore, self: string): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const id of await states.ids()) {
    if (id === self) continue;
    for (const item of Object.values((await states.load(id)).items)) for (const docId of item.docIds) owners.set(docId, id);
  }
  return owners;
}

/** A document another source already owns is reported and left alone: never overwritten, never owned twice. */
function duplicate(run: Run, doc: SourceDocument): boolean {
  const owner = run.others.get(doc.id);
  if (owner === undefined) return false;
  report(run, { source: doc.source, reason: 'duplicate', detail: `document id "${doc.id}" already comes from source "${owner}"; skipped here. Make the two sources' paths or URLs not overlap.` });
  return true;
}

/**
 * The source's `access_group` acts like a folder rule for all of it, its `groups:` mapping like a
 * rule for the items it matches; a remembered `--access-group` rule is more specific still and wins.
 * resolveGroup then keeps the stricter of that, the document's own group and the one it is indexed
 * with, as `cairn ingest` does.
 */
function withGroup(run: Run, doc: SourceDocument, mapped: MappedGroup | undefined): GroupedDocument {
  const { spec, settings, deps } = run;
  const part = spec.source.groupOf?.(doc.id);
  const own = part ? { root: `${part.part} of source ${spec.source.id}`, group: part.group } : spec.accessGroup ? { root: `source ${spec.source.id}`, group: spec.accessGroup } : undefined;
  const rule = deps.accessRules?.groupFor(doc.source) ?? mapped ?? own;
  const { group, warning } = resolveGroup(doc, rule, run.stored.get(doc.id), settings);
  if (warning) {
    run.summary.warnings.push(warning);
    deps.logger.warn({ source: doc.source, group }, 'access group rules disagree; the stricter group is kept');
  }
  return { ...doc, accessGroup: group };
}

function report(run: Run, failure: IngestFailure): void {
  run.summary.failed.push(failure);
  run.deps.progress.failed(failure);
}

export function emptySummary(): IngestSummary {
  return { files: 0, documents: 0, chunks: 0, skipped: 0, removed: 0, carriedOver: 0, failed: [], warnings: [], seconds: 0 };
}
