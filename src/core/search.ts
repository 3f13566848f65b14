import type { Chunk } from './documents.js';

export type SearchMode = 'dense' | 'sparse' | 'hybrid';

/** Restricts a search to what the asker may read and, optionally, to some sources. */
export interface SearchFilter {
  /** When set, only chunks whose accessGroup is listed. An empty list matches nothing. */
  accessGroups?: string[];
  /** When set, only chunks whose source is listed. */
  sources?: string[];
}

export interface SearchHit {
  chunk: Chunk;
  /** Higher is better. Comparable only within one result list. */
  score: number;
}

export interface FusionOptions {
  method: 'linear' | 'rrf';
  /** Weight of the dense side: α in linear blending, w in weighted RRF. The sparse side has 1 − α (linear) or 1 (RRF). */
  denseWeight: number;
  /** The RRF constant k, set explicitly: Qdrant's default (2) differs from the usual 60. */
  rrfK: number;
  /** How many candidates each side contributes before fusing. */
  candidates: number;
}
