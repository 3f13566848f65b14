import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import type { Config } from '../../config/config.js';
import { deliveryFor, readableGroups, type Audience, type Delivery } from '../../core/access.js';
import { threadKey, type Answerer } from '../../core/answer.js';
import { toCairnError, type ErrorCode } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { MemoryLeases } from '../../shared-state/lease.js';
import { MemoryRateLimit, type RateLimit } from '../../shared-state/rate-limit.js';
import { LeaseThreadLocks, type ThreadLocks } from '../../shared-state/thread-lock.js';
import { readIncomingFiles } from './attachments.js';
import type { AskOptions, IncomingQuestion, Outcome } from './types.js';

/** What a user is told when a part of the system is down: names the part, never a stack. */
const UNAVAILABLE: Partial<Record<ErrorCode, string>> = {
  LLM_UNAVAILABLE: 'the language model',
  EMBEDDER_UNAVAILABLE: 'the embedding service',
  EMBEDDER_MISMATCH: 'the document index (it needs a re-index)',
  STORE_UNAVAILABLE: 'the document index',
  INDEX_EMPTY: 'the document index (nothing is indexed yet)',
  INDEX_DAMAGED: 'the document index (it is damaged and must be rebuilt)',
  RERANKER_UNAVAILABLE: 'the reranker',
  WEB_SEARCH_UNAVAILABLE: 'web search',
};

export interface ChatServiceDeps {
  answerer: Answerer;
  config: Pick<Config, 'access' | 'limits'>;
  logger: Logger;
  /** Questions per user per minute, counted across replicas when shared (Redis); in this process when absent. */
  rateLimit?: RateLimit;
  /** One answer at a time per thread, across replicas when shared (Redis); in this process when absent. */
  threadLocks?: ThreadLocks;
  /** How long a follow-up waits for the answer before it in its thread, then is answered anyway. */
  threadWaitMs?: number;
  /** Where failures are recorded for /cairn-status. */
  onError?: (entry: { requestId: string; code: string; at: string; platform: string; channelId: string }) => void;
  /** Called once per question with what the user got (metrics, feedback records). */
  onOutcome?: (question: IncomingQuestion, outcome: Outcome, ms: number) => void;
}

/**
 * Longer than nearly every answer (each model call is bounded by LLM_TIMEOUT_MS, 30 s by default),
 * short enough that a follow-up behind a stuck answer is still answered within about a minute.
 */
export const THREAD_WAIT_MS = 60_000;

/**
 * The policy every chat surface shares: validate, rate-limit per user, wait for the answer being
 * written in the same thread, queue with bounded concurrency, answer, and turn any failure into a
 * short notice. `ask` never rejects.
 */
export class ChatService {
  private readonly queue: PQueue;
  private readonly limiter: RateLimit;
  private readonly threadLocks: ThreadLocks;
  private closing = false;

  constructor(private readonly deps: ChatServiceDeps) {
    this.queue = new PQueue({ concurrency: deps.config.limits.queueConcurrency });
    this.limiter = deps.rateLimit ?? new MemoryRateLimit({ points: deps.config.limits.ratePerMinute, durationSeconds: 60 });
    this.threadLocks = deps.threadLocks ?? new LeaseThreadLocks(new MemoryLeases());
  }

  /** The access groups everyone in the audience may read (what /cairn-sources lists there). */
  accessGroups(audience: Audience): string[] {
    return readableGroups(this.deps.config.access, audience);
  }

  /** How a request that may be answered privately (a slash command) is delivered: see `deliveryFor`. */
  delivery(asked: { userId: string; channelId: string; botDm: boolean; private?: boolean }): Delivery {
    return deliveryFor(this.deps.config.access, asked);
  }

  /**
   * Whether the thread's earlier turns are in thread memory, so the surface can skip reading them
   * from the platform. False when they are not, or when memory cannot be asked (then read them).
   */
  async remembers(q: Pick<IncomingQuestion, 'platform' | 'channelId' | 'threadId'>): Promise<boolean> {
    const thread = threadKey(q);
    if (!thread || !this.deps.answerer.remembers) return false;
    try {
      return await this.deps.answerer.remembers(thread);
    } catch (err) {
      this.deps.logger.warn({ err: toCairnError(err), platform: q.platform }, 'could not ask thread memory for a thread; reading it from the platform');
      return false;
    }
  }

  get queueDepth(): number {
    return this.queue.size + this.queue.pending;
  }

  async ask(q: IncomingQuestion, opts: AskOptions = {}): Promise<Outcome> {
    const started = performance.now();
    const outcome = await this.handle(q, opts);
    this.deps.onOutcome?.(q, outcome, performance.now() - started);
    return outcome;
  }

  private async handle(q: IncomingQuestion, opts: AskOptions): Promise<Outcome> {
    const requestId = randomUUID();
    const log = this.deps.logger.child({ requestId, platform: q.platform, channel: q.channelId });
    const notice = (reason: Extract<Outcome, { kind: 'notice' }>['reason'], text: string): Outcome => {
      log.info({ outcome: reason }, 'question answered with a notice');
      return { kind: 'notice', requestId, reason, text };
    };
    const question = q.text.trim();
    if (this.closing) return notice('shutdown', 'I am restarting right now — please ask again in a minute.');
    if (!question) return notice('empty', 'Ask me a question about the docs and I will look it up.');
    const max = this.deps.config.limits.maxQuestionChars;
    if (question.length > max) {
      return notice('too_long', `That message is ${question.length.toLocaleString('en-US')} characters; I can take up to ${max.toLocaleString('en-US')}. Please shorten it to the question itself.`);
    }
    if (!(await this.limiter.consume(`${q.platform}:${q.userId}`))) {
      return notice('rate_limited', `You are asking faster than I can keep up (limit: ${this.deps.config.limits.ratePerMinute} a minute). Please try again shortly.`);
    }
    const thread = threadKey(q);
    // Waited for outside the queue, so a follow-up does not hold a slot other questions could use.
    const lock = thread ? await this.threadLocks.acquire(thread, this.deps.threadWaitMs ?? THREAD_WAIT_MS) : null;
    if (thread && !lock) log.warn({ waitedMs: this.deps.threadWaitMs ?? THREAD_WAIT_MS }, 'the previous answer in this thread is still being written; answering without waiting longer');
    try {
      if (this.closing) return notice('shutdown', 'I am restarting right now — please ask again in a minute.');
      // Checked in the same tick as the queueing, so concurrent questions never overfill the queue.
      if (this.queueDepth >= this.deps.config.limits.queueMax) {
        return notice('busy', 'I am busy with other questions right now — please try again shortly.');
      }
      return await this.answer(q, question, requestId, log, opts);
    } finally {
      await lock?.release();
    }
  }

  private answer(q: IncomingQuestion, question: string, requestId: string, log: Logger, opts: AskOptions): Promise<Outcome> {
    const started = Date.now();
    return this.queue.add(async () => {
      try {
        const files = q.files?.length ? await readIncomingFiles(q.files, this.deps.config.limits.attachmentMaxBytes, log) : null;
        const answered = await this.deps.answerer.answer({
          question,
          asker: { id: q.userId, ...(q.userName ? { name: q.userName } : {}) },
          platform: q.platform,
          channelId: q.channelId,
          ...(q.threadId ? { threadId: q.threadId } : {}),
          history: q.history,
          accessGroups: this.accessGroups(q.audience),
          requestId,
          ...(files && files.attachments.length > 0 ? { attachments: files.attachments } : {}),
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        });
        // What could not be read is said first, so the asker knows what the answer did not see.
        const reply = files && files.notes.length > 0 ? { ...answered, text: [...files.notes, answered.text].join('\n\n') } : answered;
        log.info({ outcome: 'answer', ms: Date.now() - started, verdict: reply.grounding.verdict }, 'question answered');
        return { kind: 'answer', requestId, reply } satisfies Outcome;
      } catch (err) {
        const e = toCairnError(err);
        log.error({ err: e, code: e.code }, 'answering failed');
        this.deps.onError?.({ requestId, code: e.code, at: new Date().toISOString(), platform: q.platform, channelId: q.channelId });
        const part = UNAVAILABLE[e.code];
        const text = part
          ? `Sorry — ${part} is unavailable right now, so I can't answer. Please try again later. (ref ${requestId.slice(0, 8)})`
          : `Sorry — something went wrong while answering. (ref ${requestId.slice(0, 8)})`;
        return { kind: 'notice', requestId, reason: part ? 'unavailable' : 'error', text } satisfies Outcome;
      }
    }) as Promise<Outcome>;
  }

  /** Stops taking questions and waits for the ones in flight. */
  async drain(): Promise<void> {
    this.closing = true;
    await this.queue.onIdle();
  }
}
