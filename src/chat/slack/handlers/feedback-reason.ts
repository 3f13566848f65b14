import type { App, webApi } from '@slack/bolt';
import type { HandlerDeps } from './deps.js';
import { logError, newRef } from '../../shared/log-error.js';

export const FEEDBACK_REASON_VIEW = 'cairn_feedback_reason';
const REASON_BLOCK = 'reason';
const REASON_INPUT = 'reason_text';
const MAX_REASON_CHARS = 2000;

/** What the modal must carry to join its reason to the 👎 already recorded. */
interface ReasonTarget {
  requestId: string;
  channelId: string;
}

/** Asks why after a 👎. The trigger_id is valid for three seconds, so this runs right after the vote. */
export async function openReasonModal(client: webApi.WebClient, triggerId: string, target: ReasonTarget): Promise<void> {
  await client.views.open({
    trigger_id: triggerId,
    view: {
      type: 'modal',
      callback_id: FEEDBACK_REASON_VIEW,
      private_metadata: JSON.stringify(target),
      title: { type: 'plain_text', text: 'What was wrong?' },
      submit: { type: 'plain_text', text: 'Send' },
      close: { type: 'plain_text', text: 'Skip' },
      blocks: [
        {
          type: 'input',
          block_id: REASON_BLOCK,
          optional: true,
          label: { type: 'plain_text', text: 'Tell us what was missing or wrong (optional)' },
          element: { type: 'plain_text_input', action_id: REASON_INPUT, multiline: true, max_length: MAX_REASON_CHARS },
        },
      ],
    },
  });
}

/** A submitted reason is recorded as the same 👎 again; the store upserts per (requestId, user). */
export function registerFeedbackReason(app: App, deps: HandlerDeps): void {
  app.view(FEEDBACK_REASON_VIEW, async ({ ack, body, view, client }) => {
    await ack();
    const reason = view.state.values[REASON_BLOCK]?.[REASON_INPUT]?.value?.trim();
    const target = parseTarget(view.private_metadata);
    if (!reason || !target) return;
    deps.background('feedback-reason', async () => {
      try {
        await deps.feedback.record({ ...target, platform: 'slack', userId: body.user.id, vote: 'down', reason, at: new Date().toISOString() });
      } catch (err) {
        const ref = newRef();
        deps.logger.error({ err: logError(err), requestId: target.requestId, ref }, 'recording a feedback reason failed');
        // The modal has closed, so the user hears of it where they voted.
        await client.chat
          .postEphemeral({ channel: target.channelId, user: body.user.id, text: `Sorry — I could not record your reason. (ref ${ref})` })
          .catch((e: unknown) => deps.logger.warn({ err: logError(e), ref }, 'could not tell the user the reason was not recorded'));
      }
    });
  });
}

function parseTarget(metadata: string): ReasonTarget | null {
  try {
    const t = JSON.parse(metadata) as Partial<ReasonTarget>;
    return typeof t.requestId === 'string' && typeof t.channelId === 'string' ? { requestId: t.requestId, channelId: t.channelId } : null;
  } catch {
    return null;
  }
}
