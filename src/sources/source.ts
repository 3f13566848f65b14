import type { IndexedDocument, SourceDocument } from '../core/documents.js';
import type { IngestFailure } from '../ingest/failures.js';

/**
 * One thing a source holds (a file, a web page). `version` is whatever the source can tell without
 * fetching (a file's mtime and size, a sitemap `lastmod`): when it equals the version stored after the
 * last good fetch, the item is not fetched again. No version means "fetch it, conditionally if you can".
 */
export interface SourceItem {
  id: string;
  version?: string;
  url?: string;
  title?: string;
  /**
   * Where the item lies within the source, matched by the `groups:` patterns of its config (a file's
   * path under the folder, `SPACE/Page title`, a Drive folder path). Absent: the URL's path, else the id.
   */
  path?: string;
  /** Crawl mode finds items by fetching them; what it fetched rides along so nothing is fetched twice. */
  fetched?: FetchResult;
}

/**
 * What the sync state remembers about an item after its last good fetch. `validators` are the HTTP
 * ETag / Last-Modified for a conditional GET; `links` are a crawled page's links, so a 304 (no body)
 * still lets the crawl go on from it.
 */
export interface ItemState {
  version?: string;
  docIds: string[];
  validators?: { etag?: string; lastModified?: string };
  links?: string[];
}

export type FetchResult =
  /** `keep`: documents this item still stands for although they were not produced now (a rejected JSONL line). */
  | { kind: 'documents'; documents: SourceDocument[]; failures: IngestFailure[]; keep?: string[]; state: Omit<ItemState, 'docIds'> }
  /** Unchanged since the state's validators (an HTTP 304): nothing to re-embed. */
  | { kind: 'unchanged'; state?: Omit<ItemState, 'docIds'> }
  /** This item only: its indexed documents are kept and the sync goes on. */
  | { kind: 'failed'; failure: IngestFailure };

/**
 * One page of a listing. `cursor` says where to resume after this page (null: the listing is complete).
 * A listing that throws part-way is cut short: the engine then deletes nothing.
 */
export interface ListPage {
  items: SourceItem[];
  cursor: string | null;
  /** Things found while listing that will not become items (an unsupported file, a page off-origin). */
  failures?: IngestFailure[];
}

export interface ListContext {
  /** Where a cut-short listing stopped; absent: from the start. */
  cursor?: string;
  /** The state of an item after its last good fetch (for conditional requests). */
  previous(itemId: string): ItemState | undefined;
  /** `--full`: ignore versions and validators, fetch everything again. */
  full: boolean;
  signal?: AbortSignal;
}

/**
 * Where documents come from. Implementations: folder.ts (DOCS_DIR and folder sources), web/ (a site).
 * A source throws a `SourceFailed` when it cannot go on at all (bad credentials): the engine then marks
 * it failed and keeps its documents. Anything wrong with one item comes back as a `failed` FetchResult.
 */
export interface Source {
  readonly id: string;
  readonly type: string;
  list(ctx: ListContext): AsyncIterable<ListPage>;
  fetch(item: SourceItem, previous: ItemState | undefined, ctx: { full: boolean; signal?: AbortSignal }): Promise<FetchResult>;
  /**
   * For documents indexed before this source kept sync state (a DOCS_DIR ingested by `cairn ingest`):
   * the item that owns a stored document, so the first sync adopts it instead of leaving it orphaned.
   */
  ownerOf?(doc: IndexedDocument): string | undefined;
  /**
   * The group of the sub-part a document lies in (a Confluence space, a repository folder) when the
   * source's settings map one; it takes the place of the source's own access group.
   */
  groupOf?(docId: string): { part: string; group: string } | undefined;
  /** Counters for the run's report (requests made, …). */
  stats?(): Record<string, number>;
}
