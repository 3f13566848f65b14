import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus series Cairn exposes on /metrics. One instance per process (tests make their
 * own), passed to whoever records. Labels stay low-cardinality: no user, channel or query text.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly retrievalLatency = new Histogram({
    name: 'rag_retrieval_latency_seconds',
    help: 'Time to retrieve passages for one query (embedding, search, fusion and rerank).',
    // Finer buckets below 0.1 s: the embedded store answers in milliseconds.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5],
    labelNames: ['mode'],
    registers: [this.registry],
  });

  readonly retrievalTotal = new Counter({
    name: 'rag_retrieval_total',
    help: 'Retrievals by outcome: success (passages found), empty, error.',
    labelNames: ['status'],
    registers: [this.registry],
  });

  readonly llmLatency = new Histogram({
    name: 'cairn_llm_latency_seconds',
    help: 'Language model call latency by model and purpose.',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60],
    labelNames: ['model', 'purpose'],
    registers: [this.registry],
  });

  readonly llmTokens = new Counter({
    name: 'cairn_llm_tokens_total',
    help: 'Tokens by model, purpose and kind (prompt or completion).',
    labelNames: ['model', 'purpose', 'kind'],
    registers: [this.registry],
  });

  readonly toolCalls = new Counter({
    name: 'cairn_tool_calls_total',
    help: 'Agent tool calls by tool and outcome (ok or error).',
    labelNames: ['tool', 'outcome'],
    registers: [this.registry],
  });

  readonly groundingVerdicts = new Counter({
    name: 'cairn_grounding_verdicts_total',
    help: 'Grounding verdicts of posted answers.',
    labelNames: ['verdict'],
    registers: [this.registry],
  });

  readonly answers = new Counter({
    name: 'cairn_answers_total',
    help: 'Questions handled by platform and outcome (answer, rate_limited, busy, too_long, unavailable, error, …).',
    labelNames: ['platform', 'outcome'],
    registers: [this.registry],
  });

  readonly answerLatency = new Histogram({
    name: 'cairn_answer_latency_seconds',
    help: 'Time from a question reaching the service to its reply.',
    buckets: [0.1, 0.5, 1, 2, 5, 10, 20, 60],
    labelNames: ['platform'],
    registers: [this.registry],
  });

  readonly feedbackVotes = new Counter({
    name: 'cairn_feedback_votes_total',
    help: 'Feedback button clicks by platform and vote.',
    labelNames: ['platform', 'vote'],
    registers: [this.registry],
  });

  readonly handoffs = new Counter({
    name: 'cairn_handoffs_total',
    help: '"Still need help?" hand-offs to a person posted, by platform (each answer is handed off at most once).',
    labelNames: ['platform'],
    registers: [this.registry],
  });

  readonly sharedStateErrors = new Counter({
    name: 'cairn_shared_state_errors_total',
    help: 'Failed calls to Redis or PostgreSQL, by store (dedupe, rate_limit, threads, thread_lock, lease, checkpoints, feedback); the replica fell back to its own memory or went on without the state.',
    labelNames: ['store'],
    registers: [this.registry],
  });

  readonly feedbackWriteFailures = new Counter({
    name: 'cairn_feedback_write_failures_total',
    help: 'Answers, votes and hand-offs that could not be written to feedback.sqlite (locked, full or read-only), by what.',
    labelNames: ['what'],
    registers: [this.registry],
  });

  private queueDepthSource: () => number = () => 0;

  readonly queueDepth: Gauge = new Gauge({
    name: 'cairn_queue_depth',
    help: 'Questions waiting or being answered.',
    registers: [this.registry],
    collect: (): void => this.queueDepth.set(this.queueDepthSource()),
  });

  private llmCircuitSource: () => string | null = () => null;

  readonly llmCircuit: Gauge = new Gauge({
    name: 'cairn_llm_circuit_state',
    help: 'The language model circuit breaker, 1 for its current state: closed (calling the model), open (answering extractively), half-open (the next question probes it).',
    labelNames: ['state'],
    registers: [this.registry],
    collect: (): void => {
      const current = this.llmCircuitSource();
      // No model configured: no series rather than a state that means nothing.
      if (current === null) return;
      for (const state of ['closed', 'open', 'half-open']) this.llmCircuit.set({ state }, state === current ? 1 : 0);
    },
  });

  readonly reindexRuns = new Counter({
    name: 'cairn_reindex_runs_total',
    help: 'Re-index runs by outcome.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  readonly reindexDuration = new Histogram({
    name: 'cairn_reindex_duration_seconds',
    help: 'Re-index run duration.',
    buckets: [1, 5, 15, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  readonly sourceSyncDuration = new Histogram({
    name: 'cairn_source_sync_duration_seconds',
    help: 'Source sync duration by source, trigger (schedule or manual) and outcome (ok or failed).',
    buckets: [0.1, 1, 5, 15, 60, 300, 900, 3600],
    labelNames: ['source', 'trigger', 'outcome'],
    registers: [this.registry],
  });

  readonly sourceItems = new Gauge({
    name: 'cairn_source_items',
    help: 'Items (files, pages) each source held after its last sync.',
    labelNames: ['source'],
    registers: [this.registry],
  });

  readonly sourceSyncErrors = new Counter({
    name: 'cairn_source_sync_errors_total',
    help: 'Source sync errors by source and kind: sync (the run stopped; nothing was deleted) or item (one item skipped).',
    labelNames: ['source', 'kind'],
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** The queue depth is read at scrape time from whoever owns the queue. */
  trackQueueDepth(source: () => number): void {
    this.queueDepthSource = source;
  }

  /** The breaker's state is read at scrape time from the agent. */
  trackLlmCircuit(source: () => string | null): void {
    this.llmCircuitSource = source;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
