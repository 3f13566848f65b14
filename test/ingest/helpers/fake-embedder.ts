import type { Embedder } from '../../../src/core/embedder.js';

/** Deterministic stand-in for a real model: a hashed bag of lowercased words, L2-normalised. */
export class HashEmbedder implements Embedder {
  readonly dimensions: number;
  /** Every text embedded, in order, so tests can check what was (re-)embedded. */
  readonly embedded: string[] = [];
  readonly batchSizes: number[] = [];

  constructor(
    readonly id = 'hash-bow@1',
    dimensions = 16,
  ) {
    this.dimensions = dimensions;
  }

  async embedDocuments(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]> {
    this.batchSizes.push(texts.length);
    return texts.map((text, i) => {
      this.embedded.push(text);
      onProgress?.(i + 1, texts.length);
      return this.vector(text);
    });
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.vector(text);
  }

  private vector(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      let h = 2166136261;
      for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
      v[(h >>> 0) % this.dimensions]! += 1;
    }
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  }
}
