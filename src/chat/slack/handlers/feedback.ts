import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { FEEDBACK_ACTION } from '../render/blocks.js';
import { describe } from '../thread-reply.js';
import { newRef, type HandlerDeps } from './deps.js';

const ACTION_IDS = new RegExp(`^(${FEEDBACK_ACTION.up}|${FEEDBACK_ACTION.down})$`);

/** 👍/👎 under an answer: recorded against the answer's requestId, thanked with an ephemeral note. */
export function registerFeedback(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTION_IDS }, async ({ ack, body, action, respond }) => {
    await ack();
    deps.background('feedback', async () => {
      const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
      try {
        if (!action.value) throw new Error('feedback button without a requestId');
        await deps.feedback.record({
          requestId: action.value,
          platform: 'slack',
          channelId: body.channel?.id ?? body.container?.channel_id ?? 'unknown',
          userId: body.user.id,
          vote: action.action_id === FEEDBACK_ACTION.up ? 'up' : 'down',
          at: new Date().toISOString(),
        });
        await tell('Thanks for the feedback!');
      } catch (err) {
        const ref = newRef();
        deps.logger.error({ err: describe(err), ref }, 'recording feedback failed');
        await tell(`Sorry — I could not record that feedback. (ref ${ref})`).catch(() => undefined);
      }
    });
  });
}
