/** A document as read from disk or a JSONL line, before chunking. */
export interface SourceDocument {
  /** Stable id: the file's source (path as given + path under it), or the JSONL `id`. */
  id: string;
  /** Where it came from, as the user gave it: the file path as ingested, or its URL. */
  source: string;
  url?: string;
  title: string;
  /** Markdown or plain text. HTML and PDF are converted before they get here. */
  text: string;
  format: 'markdown' | 'text' | 'html' | 'pdf' | 'jsonl';
  /** The group the document names itself (front matter, a JSONL field); ingest decides the final one. */
  declaredAccessGroup?: string;
  /** sha256 of `text` plus anything that changes how it is chunked (not the access group). */
  hash: string;
}

/** A document with the access group ingest resolved for it. */
export type GroupedDocument = SourceDocument & { accessGroup: string };

/** One retrievable unit. Every store keeps all of these fields as payload. */
export interface Chunk {
  /** `${docId}#${chunkIndex}` */
  id: string;
  docId: string;
  source: string;
  url?: string;
  title: string;
  headingPath: string[];
  chunkIndex: number;
  totalChunks: number;
  /** sha256 of `text`; also the key of the embedding cache. */
  contentHash: string;
  accessGroup: string;
  text: string;
}

/** What a store knows about a document it holds. */
export interface IndexedDocument {
  docId: string;
  source: string;
  title: string;
  hash: string;
  accessGroup: string;
  chunks: number;
  indexedAt: string;
}

export function chunkId(docId: string, chunkIndex: number): string {
  return `${docId}#${chunkIndex}`;
}

/**
 * The text a store indexes for a chunk (both BM25 and embeddings): the breadcrumb "title > heading > …"
 * then the chunk. Short sections say little on their own; the breadcrumb carries their topic.
 */
export function indexText(chunk: Pick<Chunk, 'title' | 'headingPath' | 'text'>): string {
  const crumbs = [chunk.title, ...chunk.headingPath].filter((s) => s.trim().length > 0);
  return crumbs.length > 0 ? `${crumbs.join(' > ')}\n${chunk.text}` : chunk.text;
}
