import type { Config } from '../config/config.js';
import { createAgent, calculatorArithmetic, type Agent } from '../agent/index.js';
import { ReindexGate, type IndexAdmin, type StatusReport } from '../chat/core/admin.js';
import { ChatService } from '../chat/core/chat-service.js';
import type { FeedbackRecorder } from '../chat/core/feedback.js';
import type { AnswerRequest, Answerer } from '../core/answer.js';
import type { Logger } from '../core/logger.js';
import { FeedbackStore } from '../feedback/feedback-store.js';
import { LangChainMetricsHandler } from '../observability/langchain-metrics.js';
import { Metrics } from '../observability/metrics.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { closeCalculator, createTools, warmUpCalculator } from '../tools/index.js';
import { createIndexAdmin } from './index-admin.js';

/** Everything a chat surface needs, assembled once from config. */
export interface Cairn {
  runtime: Runtime;
  metrics: Metrics;
  agent: Agent;
  chat: ChatService;
  admin: IndexAdmin;
  reindex: ReindexGate;
  feedback: FeedbackStore;
  /** What the chat surfaces' 👍/👎 buttons call: stores the vote and counts it. */
  votes: FeedbackRecorder;
  logger: Logger;
  close(): Promise<void>;
}

const RECENT_ERRORS = 20;

export async function createCairn(config: Config, opts: { logger?: Logger; metrics?: Metrics } = {}): Promise<Cairn> {
  const metrics = opts.metrics ?? new Metrics();
  // A bot keeps answering (keyword-only, and saying so) while its HNSW index is rebuilt.
  const runtime = await createRuntime(config, { ...opts, metrics, denseRebuild: 'background' });
  const { logger } = runtime;
  const agent = createAgent({
    config,
    retriever: runtime.retriever,
    ...(runtime.reranker ? { reranker: runtime.reranker } : {}),
    tools: createTools({ webSearch: config.webSearch, logger }),
    arithmetic: calculatorArithmetic,
    logger,
    callbacks: [new LangChainMetricsHandler(metrics)],
  });
  const feedback = new FeedbackStore(config.dataDir);
  feedback.prune();
  const recorded = recordingAnswerer(agent, feedback, metrics);
  const recentErrors: StatusReport['recentErrors'] = [];
  const chat = new ChatService({
    answerer: recorded,
    config,
    logger,
    onError: (e) => {
      recentErrors.push(e);
      if (recentErrors.length > RECENT_ERRORS) recentErrors.shift();
    },
    onOutcome: (q, outcome, ms) => {
      metrics.answers.inc({ platform: q.platform, outcome: outcome.kind === 'answer' ? 'answer' : outcome.reason });
      metrics.answerLatency.observe({ platform: q.platform }, ms / 1000);
    },
  });
  metrics.trackQueueDepth(() => chat.queueDepth);
  // mathjs takes seconds to load: do it now rather than in the first arithmetic answer.
  void warmUpCalculator();
  const admin = createIndexAdmin({
    runtime,
    metrics,
    model: config.llm.enabled ? config.llm.model : 'none (extractive answers: set OPENAI_API_KEY or OPENAI_BASE_URL)',
    startedAt: Date.now(),
    recentErrors: () => [...recentErrors],
  });
  return {
    runtime, metrics, agent, chat, admin, reindex: new ReindexGate(admin), feedback, logger,
    votes: {
      async record(vote) {
        metrics.feedbackVotes.inc({ platform: vote.platform, vote: vote.vote });
        await feedback.record(vote);
      },
    },
    async close() {
      await chat.drain();
      await agent.close();
      await closeCalculator();
      feedback.close();
      await runtime.close();
    },
  };
}

/** Remembers each answer (for 👍/👎 and exports) and counts its grounding verdict. */
function recordingAnswerer(inner: Answerer, feedback: FeedbackStore, metrics: Metrics): Answerer {
  return {
    async answer(request: AnswerRequest) {
      const reply = await inner.answer(request);
      metrics.groundingVerdicts.inc({ verdict: reply.grounding.verdict });
      if (request.requestId) feedback.remember(request, reply, request.requestId);
      return reply;
    },
  };
}
