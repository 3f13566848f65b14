/** Turns text into vectors. One implementation per backend; the index records `id` and `dimensions`. */
export interface Embedder {
  /** Names the model, e.g. `use-lite@0.2.0` or `openai:text-embedding-3-small`; stored in the index. */
  readonly id: string;
  readonly dimensions: number;
  embedDocuments(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]>;
  embedQuery(text: string): Promise<Float32Array>;
  /** Resolves once `id` and `dimensions` are final: loads a local model, or asks a remote one its vector size. */
  ready?(): Promise<void>;
  close?(): Promise<void>;
}
