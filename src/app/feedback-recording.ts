import type { FeedbackRecorder } from '../core/feedback.js';
import type { AnswerRequest, Answerer } from '../core/answer.js';
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
