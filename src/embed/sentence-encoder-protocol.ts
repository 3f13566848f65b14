/** Messages between SentenceEncoderEmbedder (main thread) and sentence-encoder-worker (the model's thread). */

export interface EmbedRequest {
  kind: 'embed';
  id: number;
  texts: string[];
}

export type WorkerReply =
  | { kind: 'ready'; loadMs: number }
  /** `vectors` holds `count` unit vectors of `dimensions` floats back to back. */
  | { kind: 'vectors'; id: number; count: number; vectors: Float32Array }
  /** `id` is null when loading the model failed. */
  | { kind: 'failed'; id: number | null; message: string };

export const USE_DIMENSIONS = 512;
