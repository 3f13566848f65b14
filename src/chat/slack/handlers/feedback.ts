import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { FEEDBACK_ACTION } from '../render/blocks.js';
import type { HandlerDeps } from './deps.js';
import { openReasonModal, registerFeedbackReason } from './feedback-reason.js';
import { logError, newRef } from '../../shared/log-error.js';

const ACTION_IDS = new RegExp(`^(${FEEDBACK_ACTION.up}|${FEEDBACK_ACTION.down})$`);

/**
 * 👍/👎 under an answer: recorded against the answer's requestId, thanked with an ephemeral note.
 * A 👎 also opens a modal asking what was wrong; the vote is recorded first so a modal that fails
 * to open loses nothing.
 */
export function registerFeedback(app: App, deps: HandlerDeps): void {
  registerFeedbackReason(app, deps);
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTION_IDS }, async ({ ack, body, action, respond, client }) => {
    await ack();
    deps.background('feedback', async () => {
      const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
      try {
        if (!action.value) throw new Error('feedback button without a requestId');
        const vote = action.action_id === FEEDBACK_ACTION.up ? 'up' : 'down';
        const channelId = body.channel?.id ?? body.container?.channel_id ?? 'unknown';
        await deps.feedback.record({ requestId: action.value, platform: 'slack', channelId, userId: body.user.id, vote, at: new Date().toISOString() });
        if (vote === 'down') {
          await openReasonModal(client, body.trigger_id, { requestId: action.value, channelId }).catch((err: unknown) => {
            deps.logger.warn({ err: logError(err), requestId: action.value }, 'opening the feedback reason modal failed');
          });
        }
        await tell('Thanks for the feedback!');
      } catch (err) {
        const ref = newRef();
        deps.logger.error({ err: logError(err), ref }, 'recording feedback failed');
        await tell(`Sorry — I could not record that feedback. (ref ${ref})`).catch(() => undefined);
      }
    });
  });
}
