import { randomBytes } from 'node:crypto';
import type { Callbacks } from '@langchain/core/callbacks/manager';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import type { Config } from '../config/config.js';
import { threadKey, type AnswerReply, type AnswerRequest, type Answerer, type ProgressEvent } from '../core/answer.js';
import { isCairnError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Reranker, Retriever } from '../core/retriever.js';
import type { SharedStateErrorSink } from '../shared-state/errors.js';
import { createCheckpointer, type Checkpointer } from './checkpointer.js';
import { ensureAgentOptions, type AgentOptions } from './graph/configuration.js';
import type { AgentDeps, RunContext } from './graph/context.js';
import { extractiveAnswer } from './answering/extractive.js';
import type { CircuitState } from './llm/circuit-breaker.js';
import { buildAgentGraph, type AgentGraph } from './graph/graph.js';
import { createLanguageModels } from './llm/llm.js';
import { circuitOpenError } from './llm/llm-errors.js';
import { RunMeter } from './llm/meter.js';
import { loadAllPrompts } from './prompts.js';
import { NO_LLM } from './answering/replies.js';
import { initialState } from './graph/state.js';
import type { ArithmeticAnswerer } from './tools/toolset.js';

export interface CreateAgentParams {
  config: {
    llm: Config['llm'];
    agent: Config['agent'];
    retrieval: Pick<Config['retrieval'], 'k'>;
    dataDir: string;
    /** DATABASE_URL for the `postgres` checkpointer; absent in tests that build a config by hand. */
    shared?: Config['shared'];
    /** Which groups are public, and whether web_search may run beside restricted ones. */
    access: Pick<Config['access'], 'publicGroups' | 'webSearchWithPrivateGroups'>;
  };
  /** Hybrid search over the index; every search is filtered by the asker's access groups. */
  retriever: Retriever;
  /** Re-scores the merged pool of a multi-query search. The retriever reranks each query's results itself. */
  reranker?: Reranker;
  /** calculator, run_code, web_search as made by `createTools` in src/tools (search_docs is the agent's own). */
  tools?: StructuredToolInterface[];
  /** Answers pure calculations without a model, also in extractive mode: normally `calculatorArithmetic`. */
  arithmetic?: ArithmeticAnswerer;
  logger: Logger;
  /** LangChain callbacks (e.g. the metrics handler) for every model and tool call. */
  callbacks?: Callbacks;
  /** Replaces the checkpointer chosen by `config.agent.checkpointer` (tests). */
  checkpointer?: BaseCheckpointSaver;
  /** Where a failing shared thread memory (PostgreSQL) is reported: counted and logged by the app. */
  onSharedStateError?: SharedStateErrorSink;
  options?: Partial<Omit<AgentOptions, 'maxSteps' | 'k'>>;
}

export interface Agent extends Answerer {
  /** `extractive` when no language model is configured. */
  readonly mode: 'agent' | 'extractive';
  /** The language model's circuit breaker (`closed` when calling it), or null without a model. */
  llmCircuit(): CircuitState | null;
  /** Closes the thread store (the SQLite file). */
  close(): Promise<void>;
}

/**
 * The one entry point a chat surface or the CLI needs. `answer()` does not throw for a model that
 * times out or fails (the reply falls back to quoting passages and says why); a failing index or
 * embedder is rethrown as its CairnError so the chat layer can say which part is down.
 */
export function createAgent(params: CreateAgentParams): Agent {
  const { config, logger } = params;
  const options = ensureAgentOptions({ ...params.options, maxSteps: config.agent.maxSteps, k: config.retrieval.k });
  const arithmetic = params.arithmetic;
  const models = createLanguageModels(config.llm, logger);
  const extractiveDeps = (retriever: Retriever) => ({ retriever, ...(arithmetic ? { arithmetic } : {}), options });
  if (!models) {
    return {
      mode: 'extractive',
      answer: async (request) => {
        const watch = watchKeywordOnly(params.retriever);
        const reply = await extractiveAnswer(request, extractiveDeps(watch.retriever), { meter: new RunMeter(), progress: safeProgress(request.onProgress, logger) }, NO_LLM);
        return watch.mark(reply);
      },
      llmCircuit: () => null,
      close: async () => undefined,
    };
  }
  loadAllPrompts();
  const deps: AgentDeps = {
    retriever: params.retriever,
    ...(params.reranker ? { reranker: params.reranker } : {}),
    models,
    tools: params.tools ?? [],
    ...(arithmetic ? { arithmetic } : {}),
    options,
    access: config.access,
    logger,
  };
  const store: Checkpointer = params.checkpointer
    ? { saver: params.checkpointer, close: async () => undefined }
    : createCheckpointer(config.agent.checkpointer, {
        dataDir: config.dataDir,
        memoryThreads: options.memoryThreads,
        ...(config.shared?.databaseUrl
          ? { postgres: { url: config.shared.databaseUrl, retentionDays: config.shared.checkpointRetentionDays, logger, ...(params.onSharedStateError ? { onError: params.onSharedStateError } : {}) } }
          : {}),
      });
  const threaded = buildAgentGraph(store.saver);
  const oneOff = buildAgentGraph();

  async function answer(request: AnswerRequest): Promise<AnswerReply> {
    const meter = new RunMeter();
    const progress = safeProgress(request.onProgress, logger);
    const watch = watchKeywordOnly(deps.retriever);
    // The model failed repeatedly moments ago: quote passages now rather than retrieve twice.
    if (deps.models.breaker.state === 'open') {
      const reason = circuitOpenError(deps.models, deps.models.breaker.retryInMs).userMessage;
      return watch.mark(await extractiveAnswer(request, extractiveDeps(watch.retriever), { meter, progress }, reason));
    }
    const ctx: RunContext = {
      deps: { ...deps, retriever: watch.retriever },
      meter,
      nonce: randomBytes(4).toString('hex'),
      progress,
      files: request.files ?? [],
      attachments: request.attachments ?? [],
      ...(request.signal ? { signal: request.signal } : {}),
      ...(params.callbacks ? { callbacks: params.callbacks } : {}),
    };
    const thread = threadKey(request);
    const graph: AgentGraph = thread ? threaded : oneOff;
    try {
      const state = await graph.invoke(initialState(request), {
        context: ctx,
        ...(thread ? { configurable: { thread_id: thread } } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        // Two graph steps (act, tools) per ReAct step, plus the fixed path and its one retry.
        recursionLimit: 2 * options.maxSteps + 12,
        // One checkpoint per answer: the turns are all the next answer reads.
        durability: 'exit',
      });
      const final = state.final;
      if (!final) throw new Error('agent graph ended without a reply');
      const lost = thread !== null && (store.memoryLost?.(thread) ?? false);
      return watch.mark({ ...final, ...(lost ? { threadMemoryLost: true as const } : {}), mode: 'agent', toolsUsed: [...new Set(state.toolsUsed)], llm: meter.llm(), timingsMs: meter.timingsMs() });
    } catch (err) {
      if (!isCairnError(err, 'LLM_UNAVAILABLE') || request.signal?.aborted) throw err;
      logger.warn({ requestId: request.requestId, code: err.code, err }, 'language model unavailable; answering extractively');
      return watch.mark(await extractiveAnswer(request, extractiveDeps(watch.retriever), { meter, progress }, err.userMessage));
    }
  }

  async function remembers(thread: string): Promise<boolean> {
    const tuple = await store.saver.getTuple({ configurable: { thread_id: thread } });
    const turns: unknown = tuple?.checkpoint.channel_values.turns;
    return Array.isArray(turns) && turns.length > 0;
  }

  return { mode: 'agent', answer, remembers, llmCircuit: () => models.breaker.state, close: () => store.close() };
}

/**
 * The answer's own view of the retriever: notes whether any of its searches ran keyword-only (the
 * dense index was being rebuilt), so the reply can say so.
 */
function watchKeywordOnly(retriever: Retriever): { retriever: Retriever; mark: (reply: AnswerReply) => AnswerReply } {
  let keywordOnly = false;
  return {
    retriever: {
      search: (query, options) =>
        retriever.search(query, {
          ...options,
          onKeywordOnly: () => {
            keywordOnly = true;
            options.onKeywordOnly?.();
          },
        }),
    },
    mark: (reply) => (keywordOnly ? { ...reply, keywordOnly: true } : reply),
  };
}

/** A progress callback that throws must not cost the user their answer. */
function safeProgress(onProgress: AnswerRequest['onProgress'], logger: Logger): (event: ProgressEvent) => void {
  if (!onProgress) return () => undefined;
  return (event) => {
    try {
      onProgress(event);
    } catch (err) {
      logger.debug({ err }, 'progress callback failed');
    }
  };
}
