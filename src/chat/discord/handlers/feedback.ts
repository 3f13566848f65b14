import { MessageFlags, type ButtonInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { Logger } from '../../../core/logger.js';
import type { FeedbackRecorder, FeedbackVote } from '../../../core/feedback.js';
import { accessChannelId } from '../conversation.js';
import { parseReasonModal, parseVote, reasonModal, REASON_INPUT } from '../render/feedback-buttons.js';
import { logError, newRef } from '../../shared/log-error.js';

const THANKS_UP = 'Thanks — glad it helped!';
const THANKS_DOWN = 'Thanks — noted.';
const VOTE_NOT_RECORDED = 'Sorry — I could not record your vote right now. Please try again later.';
const REASON_NOT_RECORDED = 'Sorry — I could not record that right now. Please try again later.';

/** Records, or tells whoever clicked that it was not recorded, with a reference to the log line; true when recorded. */
async function recorded(feedback: FeedbackRecorder, vote: FeedbackVote, tell: (text: string) => Promise<unknown>, log: Logger): Promise<boolean> {
  try {
    await feedback.record(vote);
    return true;
  } catch (err) {
    const ref = newRef();
    log.error({ err: logError(err), requestId: vote.requestId, ref }, vote.reason ? 'recording a feedback reason failed' : 'recording feedback failed');
    await tell(`${vote.reason ? REASON_NOT_RECORDED : VOTE_NOT_RECORDED} (ref ${ref})`);
    return false;
  }
}

/**
 * A 👍/👎 click. 👍 is deferred, recorded and thanked. 👎 is recorded, then answered with the
 * reason form: a modal must be an interaction's first response, so 👎 is never deferred.
 */
export async function handleVote(feedback: FeedbackRecorder, i: ButtonInteraction, log: Logger): Promise<void> {
  const parsed = parseVote(i.customId);
  if (!parsed) return;
  // Acknowledge 👍 first: Discord fails a click that is not answered within 3 s.
  if (parsed.vote === 'up') await i.deferReply({ flags: MessageFlags.Ephemeral });
  const vote: FeedbackVote = {
    requestId: parsed.requestId, platform: 'discord', channelId: accessChannelId(i.channel, i.channelId),
    userId: i.user.id, vote: parsed.vote, at: new Date().toISOString(),
  };
  const tell = (content: string) => (i.deferred ? i.editReply({ content }) : i.reply({ content, flags: MessageFlags.Ephemeral }));
  if (!(await recorded(feedback, vote, tell, log))) return;
  log.info({ requestId: parsed.requestId, vote: parsed.vote }, 'feedback recorded');
  if (parsed.vote === 'up') {
    await i.editReply({ content: THANKS_UP });
    return;
  }
  try {
    await i.showModal(reasonModal(parsed.requestId));
  } catch (err) {
    // The vote is kept; the reason is optional, so a plain thanks is enough.
    log.warn({ err: logError(err), requestId: parsed.requestId }, 'could not ask for a 👎 reason');
    await thankPrivately(i, log);
  }
}

/** A submitted reason form: the reason joins the 👎 already recorded for the same answer and user. */
export async function handleReason(feedback: FeedbackRecorder, i: ModalSubmitInteraction, log: Logger): Promise<void> {
  const requestId = parseReasonModal(i.customId);
  if (!requestId) return;
  const reason = i.fields.fields.has(REASON_INPUT) ? i.fields.getTextInputValue(REASON_INPUT).trim() : '';
  // A form opened from a vote button always comes from that button's channel.
  const channelId = i.channelId ?? i.message?.channelId;
  if (reason && channelId) {
    const vote: FeedbackVote = {
      requestId, platform: 'discord', channelId: accessChannelId(i.channel, channelId),
      userId: i.user.id, vote: 'down', reason, at: new Date().toISOString(),
    };
    if (!(await recorded(feedback, vote, (content) => i.reply({ content, flags: MessageFlags.Ephemeral }), log))) return;
    log.info({ requestId }, 'feedback reason recorded');
  }
  await i.reply({ content: THANKS_DOWN, flags: MessageFlags.Ephemeral });
}

async function thankPrivately(i: ButtonInteraction, log: Logger): Promise<void> {
  try {
    if (i.deferred || i.replied) await i.followUp({ content: THANKS_DOWN, flags: MessageFlags.Ephemeral });
    else await i.reply({ content: THANKS_DOWN, flags: MessageFlags.Ephemeral });
  } catch (err) {
    log.warn({ err: logError(err) }, 'could not thank for a 👎 either');
  }
}
