import type { ProgressEvent } from '../../core/answer.js';
import type { Outcome } from '../shared/types.js';
import type { AnswerActions } from '../shared/answer-actions.js';
import { progressEditor } from './progress.js';
import { renderOutcome, type RenderedMessage } from './render/outcome.js';
import { progressText } from './render/progress-text.js';

/**
 * Where an answer goes: a working message that is edited (a placeholder message, or a deferred
 * interaction reply) and a way to post more messages after it. Both messages and slash commands
 * answer through this, so splitting, progress and the final layout behave the same.
 */
export interface ReplySurface {
  edit(message: RenderedMessage | { content: string }): Promise<unknown>;
  send(message: RenderedMessage): Promise<unknown>;
}

export interface DeliveryOptions {
  progressIntervalMs: number;
  /** Leads the first message (a slash command's question, which Discord does not show). */
  quote?: string;
  /** Share and hand-off buttons beside 👍/👎. */
  actions?: AnswerActions;
  onProgressError: (err: unknown) => void;
}

/** Asks, showing throttled progress on the surface meanwhile, then posts the outcome. */
export async function answerInto(
  surface: ReplySurface,
  ask: (onProgress: (event: ProgressEvent) => void) => Promise<Outcome>,
  opts: DeliveryOptions,
): Promise<Outcome> {
  const progress = progressEditor((text) => surface.edit({ content: text }), opts.progressIntervalMs, opts.onProgressError);
  let outcome: Outcome;
  try {
    outcome = await ask((event) => progress.push(progressText(event)));
  } finally {
    await progress.close();
  }
  const [first, ...rest] = renderOutcome(outcome, { ...(opts.quote ? { quote: opts.quote } : {}), ...(opts.actions ? { actions: opts.actions } : {}) });
  await surface.edit(first!);
  for (const message of rest) await surface.send(message);
  return outcome;
}
