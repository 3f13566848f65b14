import type { Config } from '../config/config.js';
import type { Agent } from '../agent/index.js';
import { ReindexGate, type IndexAdmin, type RecentError } from '../chat/shared/admin.js';
import { ChatService } from '../chat/shared/chat-service.js';
import type { AnswerRecords, FeedbackRecorder } from '../core/feedback.js';
import type { Logger } from '../core/logger.js';
import type { FeedbackRepository } from '../feedback/types.js';
import { Metrics } from '../observability/metrics.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { closeCalculator, closeCodeRunner, warmUpCalculator, warmUpCodeRunner } from '../tools/index.js';
import { createAnsweringAgent } from './answering-agent.js';
import { recordingAnswerer, recordingAnswers, recordingVotes } from './feedback-recording.js';
import { createIndexAdmin } from './index-admin.js';
import { sharedStateReport } from './shared-state-report.js';
import { createSharedState, refuseEmbeddedStoreAcrossReplicas, type SharedState } from './shared-state.js';
import { SourceSyncer } from './source-sync.js';

/** Everything a chat surface needs, assembled once from config. */
export interface Cairn {
  runtime: Runtime;
  metrics: Metrics;
  agent: Agent;
  chat: ChatService;
  admin: IndexAdmin;
  reindex: ReindexGate;
  feedback: FeedbackRepository;
  /** Source syncs under each source's lease: admins' re-indexes and the schedules both go through it. */
  syncer: SourceSyncer;
  /** Dedupe, rate limits, threads, leases: in process, or in Redis for several replicas. */
  shared: SharedState;
  /** What the chat surfaces' 👍/👎 buttons call: stores the vote and counts it. */
  votes: FeedbackRecorder;
  /** What the Share and "Still need help?" buttons call: answers by requestId, hand-offs once each. */
  answers: AnswerRecords;
  logger: Logger;
  close(): Promise<void>;
}

const RECENT_ERRORS = 20;

export async function createCairn(config: Config, opts: { logger?: Logger; metrics?: Metrics } = {}): Promise<Cairn> {
  refuseEmbeddedStoreAcrossReplicas(config);
  const metrics = opts.metrics ?? new Metrics();
  // A bot keeps answering (keyword-only, and saying so) while its HNSW index is rebuilt.
  const runtime = await createRuntime(config, { ...opts, metrics, denseRebuild: 'background' });
  const { logger } = runtime;
  const shared = await createSharedState(config, logger, metrics);
  const agent = createAnsweringAgent(runtime, config, { metrics, onSharedStateError: shared.onError });
  const { feedback } = shared;
  // Not awaited: an unreachable PostgreSQL must not hold up the start (answers go on without it).
  void Promise.resolve()
    .then(() => feedback.prune())
    .catch((err: unknown) => logger.warn({ err }, 'could not prune old answers from the feedback store; trying again at the next start'));
  // Only PostgreSQL failing is a shared-state failure; feedback.sqlite's are counted on their own.
  const onFeedbackStoreError = shared.kind.durable === 'postgres' ? (err: unknown) => shared.onError('feedback', err) : undefined;
  const recorded = recordingAnswerer(agent, feedback, metrics, logger, onFeedbackStoreError);
  const recentErrors: RecentError[] = [];
  const chat = new ChatService({
    answerer: recorded,
    config,
    logger,
    rateLimit: shared.rateLimit,
    threadLocks: shared.threadLocks,
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
  metrics.trackLlmCircuit(() => agent.llmCircuit());
  // mathjs takes seconds to load: do it now rather than in the first arithmetic answer.
  void warmUpCalculator();
  // Pyodide takes seconds to load; only a model calls run_code, so without one nothing is started.
  if (config.llm.enabled) warmUpCodeRunner(config.runCode.languages);
  const syncer = new SourceSyncer({ runtime, leases: shared.leases, metrics, logger, cwd: process.cwd() });
  const admin = createIndexAdmin({
    runtime,
    syncer,
    feedback,
    metrics,
    model: config.llm.enabled ? config.llm.model : 'none (extractive answers: set OPENAI_API_KEY or OPENAI_BASE_URL)',
    startedAt: Date.now(),
    recentErrors: () => [...recentErrors],
    sharedState: async (detail) => (await sharedStateReport(shared)).summary(detail),
  });
  return {
    runtime, metrics, agent, chat, admin, syncer, reindex: new ReindexGate(admin, shared.leases), feedback, shared, logger,
    votes: recordingVotes(feedback, metrics, logger, onFeedbackStoreError),
    answers: recordingAnswers(feedback, metrics, logger, onFeedbackStoreError),
    async close() {
      await chat.drain();
      await agent.close();
      await closeCalculator();
      closeCodeRunner();
      await shared.close();
      await runtime.close();
    },
  };
}
