import type { AnswerRecords, FeedbackRecorder } from '../core/feedback.js';
import type { AnswerRequest, Answerer, GroundingVerdict } from '../core/answer.js';
import type { Logger } from '../core/logger.js';
import type { FeedbackRepository } from '../feedback/types.js';
import type { Metrics } from '../observability/metrics.js';

/**
 * How long a write to feedback.sqlite waits for another connection's lock. better-sqlite3 waits
 * synchronously, blocking every answer in the process, so the wait is short: a record that cannot
 * be written at once is dropped (and counted), never the answer it belongs to.
 */
export const RECORDER_BUSY_TIMEOUT_MS = 250;

/** Only what failed, never what was asked or answered: the log must not carry content. */
function failure(err: unknown): { code?: unknown; error: string } {
  return { code: (err as { code?: unknown } | null)?.code, error: err instanceof Error ? err.message : String(err) };
}

/**
 * Remembers each answer (for 👍/👎 and exports) and counts its grounding verdict. A failed write
 * (locked, full or read-only database; PostgreSQL unreachable, also passed to `onStoreError`) is
 * logged and counted; the answer goes out regardless.
 */
export function recordingAnswerer(inner: Answerer, feedback: FeedbackRepository, metrics: Metrics, logger: Logger, onStoreError?: (err: unknown) => void): Answerer {
  return {
    ...(inner.remembers ? { remembers: inner.remembers.bind(inner) } : {}),
    async answer(request: AnswerRequest) {
      const reply = await inner.answer(request);
      metrics.groundingVerdicts.inc({ verdict: reply.grounding.verdict });
      // An answer that read the asker's attachment may quote it: it is not kept for exports or votes.
      if (request.requestId && !request.attachments?.length) {
        const requestId = request.requestId;
        const failed = (err: unknown) => {
          metrics.feedbackWriteFailures.inc({ what: 'answer' });
          onStoreError?.(err);
          logger.warn({ requestId, ...failure(err) }, 'could not record the answer in the feedback store; it was sent anyway');
        };
        // SQLite writes at once (and may throw here); PostgreSQL is not waited for: the answer goes out first.
        try {
          const written = feedback.remember(request, reply, requestId);
          if (written) written.catch(failed);
        } catch (err) {
          failed(err);
        }
      }
      return reply;
    },
  };
}

/**
 * What the 👍/👎 buttons call: counts and stores the vote; a failed write is logged, counted (and
 * passed to `onStoreError`) and rethrown for the surface to tell the user it was not recorded.
 */
export function recordingVotes(feedback: FeedbackRepository, metrics: Metrics, logger: Logger, onStoreError?: (err: unknown) => void): FeedbackRecorder {
  return {
    async record(vote) {
      metrics.feedbackVotes.inc({ platform: vote.platform, vote: vote.vote });
      try {
        await feedback.record(vote);
      } catch (err) {
        metrics.feedbackWriteFailures.inc({ what: 'vote' });
        onStoreError?.(err);
        logger.warn({ requestId: vote.requestId, platform: vote.platform, ...failure(err) }, 'could not record a vote in the feedback store');
        throw err;
      }
    },
  };
}

/**
 * What the Share and "Still need help?" buttons call. A hand-off is claimed in the feedback store
 * first (the row is the dedupe across replicas), then posted, then counted; a failed post gives the
 * claim back. A store that cannot be read or written rejects, counted and passed to `onStoreError`:
 * the surface tells the user, who may click again.
 */
export function recordingAnswers(feedback: FeedbackRepository, metrics: Metrics, logger: Logger, onStoreError?: (err: unknown) => void): AnswerRecords {
  const storeFailed = (what: string, requestId: string, err: unknown): never => {
    metrics.feedbackWriteFailures.inc({ what });
    onStoreError?.(err);
    logger.warn({ requestId, ...failure(err) }, `could not ${what === 'handoff' ? 'record a hand-off in' : 'read an answer from'} the feedback store`);
    throw err;
  };
  return {
    async find(requestId) {
      let e;
      try {
        e = await feedback.exchange(requestId);
      } catch (err) {
        return storeFailed('lookup', requestId, err);
      }
      if (!e) return null;
      return { requestId, platform: e.platform, channelId: e.channelId, question: e.question, text: e.answer, citations: e.citations, verdict: e.verdict as GroundingVerdict };
    },
    async handOff(h, post) {
      let first: boolean;
      try {
        first = await feedback.claimHandOff(h);
      } catch (err) {
        return storeFailed('handoff', h.requestId, err);
      }
      if (!first) return 'already';
      try {
        await post();
      } catch (err) {
        await Promise.resolve(feedback.releaseHandOff(h.requestId)).catch((e: unknown) => {
          logger.warn({ requestId: h.requestId, ...failure(e) }, 'could not give back a hand-off whose mention failed; a second click will say it was handed off');
        });
        throw err;
      }
      metrics.handoffs.inc({ platform: h.platform });
      logger.info({ requestId: h.requestId, platform: h.platform }, 'answer handed off to a person');
      return 'handed_off';
    },
  };
}
