import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createAgent } from '../../../src/agent/index.js';
import type { Retriever } from '../../../src/core/retriever.js';
import type { AnswerEvalDeps } from '../../../src/eval/answers/index.js';
import { silentProgress } from '../../../src/ingest/index.js';
import { HashEmbedder } from '../../ingest/helpers/fake-embedder.js';

export const FIXTURE = path.resolve('test/fixtures/eval-answers');
export const MAIN_MODEL = 'main-model';
export const FAST_MODEL = 'fast-model';
export const JUDGE_MODEL = 'judge-model';
export const silentLogger = pino({ level: 'silent' });

/** The slice of Config an answer eval reads; an LLM only when `baseURL` is given. */
export function evalConfig(dataDir: string, baseURL: string | null, judge = false) {
  return {
    dataDir,
    access: { publicGroups: ['public'], webSearchWithPrivateGroups: false },
    ingest: { chunkSize: 1200, chunkOverlap: 200, maxFileBytes: 1_000_000, defaultAccessGroup: 'public', docsDir: 'docs' },
    embedding: { kind: 'use' as const, model: 'unused', batchSize: 64 },
    retrieval: { fusion: 'linear' as const, denseWeight: 0.1, rrfK: 60, k: 4, reranker: 'off' as const },
    llm: {
      enabled: baseURL !== null,
      ...(baseURL ? { baseUrl: baseURL } : {}),
      model: MAIN_MODEL,
      fastModel: FAST_MODEL,
      ...(judge ? { judgeModel: JUDGE_MODEL } : {}),
      temperature: 0,
      timeoutMs: 5000,
      idleTimeoutMs: 5000,
      maxRetries: 0,
      breaker: { failures: 3, cooldownMs: 30_000 },
    },
    agent: { maxSteps: 4, checkpointer: 'memory' as const },
  };
}

/** A bag-of-words embedder: the same text always gets the same vector, so cosine(q, q) = 1. */
export function hashEmbedder(): HashEmbedder {
  return new HashEmbedder('hash-bow@1', 256);
}

export function agentFactory(config: ReturnType<typeof evalConfig>): AnswerEvalDeps['makeAgent'] {
  return (retriever: Retriever) => createAgent({ config, retriever, logger: silentLogger, options: { streaming: false } });
}

export async function scratchDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cairn-eval-answers-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const progress = silentProgress;
