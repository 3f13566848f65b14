import type { App, Context, webApi } from '@slack/bolt';
import type { Turn } from '../../../core/answer.js';
import type { Logger } from '../../../core/logger.js';
import { decideMessage, mentionsBot, type InboundMessage, type MessageDecision } from '../message-policy.js';
import { fetchDmHistory, fetchThreadHistory } from '../history.js';
import { renderNotice, renderOutcome } from '../render/blocks.js';
import { ThreadReply } from '../thread-reply.js';
import type { HandlerDeps } from './deps.js';
import { answerActions } from './answer-buttons.js';
import { slackFiles, type SlackFile } from '../files.js';
import type { IncomingFile } from '../../shared/attachments.js';
import { logError, newRef } from '../../shared/log-error.js';
import { looksLikeQuestion } from '../../shared/question-rule.js';

/**
 * The Bolt event fields Cairn reads (here and in the assistant's handler). Bolt types `message` as a
 * union of every subtype, most without `user` or `text`, so the payload is read through this and
 * turned into an InboundMessage at once.
 */
export interface RawMessageEvent {
  channel?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  parent_user_id?: string;
  /** Attached files (a `file_share` message, or a mention posted with files). */
  files?: SlackFile[];
}

type AnswerDecision = Extract<MessageDecision, { answer: true }>;

/** Mentions, DMs and thread follow-ups. An app_mention and its twin message event answer once. */
export function registerMessageHandlers(app: App, deps: HandlerDeps): void {
  app.event('app_mention', async ({ event, context, client }) => {
    await onMessage('app_mention', event as RawMessageEvent, context, client, deps);
  });
  app.event('message', async ({ event, context, client }) => {
    await onMessage('message', event as RawMessageEvent, context, client, deps);
  });
}

async function onMessage(kind: InboundMessage['kind'], e: RawMessageEvent, context: Context, client: webApi.WebClient, deps: HandlerDeps): Promise<void> {
  if (!e.channel || !e.ts) return;
  const m: InboundMessage = {
    kind, channel: e.channel, channelType: e.channel_type, user: e.user, botId: e.bot_id, subtype: e.subtype, text: e.text, ts: e.ts, threadTs: e.thread_ts,
    ...(e.parent_user_id ? { parentUserId: e.parent_user_id } : {}),
  };
  const log = deps.logger.child({ channel: m.channel, ts: m.ts, event: kind });
  const policy = { botUserId: context.botUserId, allowedChannels: deps.config.allowedChannels, ...(await supportFacts(m, deps)) };
  // The policy only asks about the message's own thread: look that one up before deciding.
  const answeredHere = m.threadTs ? await deps.memory.answeredInThread(m.channel, m.threadTs) : false;
  const decision = decideMessage(m, { ...policy, answeredInThread: () => answeredHere });
  const files = slackFiles(e.files, context.botToken ?? client.token, deps.config.apiUrl);
  if (decision.answer) return answer(m, decision, files, context, client, deps, log);
  if (decision.reason === 'another_person_replied') {
    log.debug('another person replied in a support thread; stepping back');
    return deps.memory.supportThreadTakenOver(m.channel, m.threadTs as string);
  }
  // After a restart the thread memory is empty: a message that would be a follow-up if Cairn had
  // posted in its thread is checked against Slack once.
  const asFollowUp = decision.reason === 'not_addressed' && m.threadTs ? decideMessage(m, { ...policy, answeredInThread: () => true }) : decision;
  if (!asFollowUp.answer || !m.threadTs) {
    log.debug({ reason: decision.reason }, 'message not for Cairn');
    return;
  }
  const threadTs = m.threadTs;
  deps.background('thread-check', async () => {
    const posted = await deps.threads.botPostedIn(m.channel, threadTs, context).catch((err: unknown) => {
      log.warn({ err: logError(err) }, 'checking whether Cairn posted in the thread failed; treating it as not addressed');
      return false;
    });
    if (!posted) {
      log.debug({ reason: decision.reason }, 'message not for Cairn');
      return;
    }
    await deps.memory.rememberThread(m.channel, threadTs);
    // The support-thread marks went with the thread memory: in a support channel, a thread Cairn
    // posted in is taken for one of its support threads, so it still steps back for another person.
    if (await deps.autoAnswer.isOn(m.channel)) {
      await deps.memory.rememberSupportThread(m.channel, threadTs);
      const asSupport = decideMessage(m, { ...policy, answeredInThread: () => true, supportThread: { quiet: false } });
      if (!asSupport.answer) {
        if (asSupport.reason === 'another_person_replied') await deps.memory.supportThreadTakenOver(m.channel, threadTs);
        log.debug({ reason: asSupport.reason }, 'message not for Cairn');
        return;
      }
    }
    await answer(m, asFollowUp, files, context, client, deps, log);
  });
}

/**
 * What the policy needs to know about support channels, looked up only where it can matter: the
 * channel's switch for a top-level question (the cheap rule first), the thread's state for a reply.
 */
async function supportFacts(m: InboundMessage, deps: HandlerDeps): Promise<{ autoAnswer?: boolean; supportThread?: { quiet: boolean } }> {
  if (m.botId || !m.user || m.channelType === 'im') return {};
  if (m.threadTs && m.threadTs !== m.ts) {
    const thread = await deps.memory.supportThread(m.channel, m.threadTs);
    return thread ? { supportThread: thread } : {};
  }
  return m.kind === 'message' && looksLikeQuestion(m.text ?? '') ? { autoAnswer: await deps.autoAnswer.isOn(m.channel) } : {};
}

async function answer(m: InboundMessage, decision: AnswerDecision, files: IncomingFile[], context: Context, client: webApi.WebClient, deps: HandlerDeps, log: Logger): Promise<void> {
  if (!(await deps.memory.claimMessage(m.channel, m.ts))) {
    log.debug('message already being answered');
    return;
  }
  if (decision.replyThreadTs) await deps.memory.rememberThread(m.channel, decision.replyThreadTs);
  if (decision.support) await deps.memory.rememberSupportThread(m.channel, m.ts);

  deps.background('answer', async () => {
    const reply = new ThreadReply(client, { channel: m.channel, threadTs: decision.replyThreadTs }, deps.progressIntervalMs, log);
    try {
      const [, history] = await Promise.all([
        reply.start().catch((err: unknown) => log.warn({ err: logError(err) }, 'posting the placeholder failed')),
        readHistory(m, decision, context, client, deps, log),
      ]);
      const outcome = await deps.chat.ask(
        {
          platform: 'slack',
          channelId: m.channel,
          ...(decision.replyThreadTs ? { threadId: decision.replyThreadTs } : {}),
          userId: m.user as string,
          text: decision.question,
          audience: decision.conversation.audience,
          history,
          ...(files.length > 0 ? { files } : {}),
        },
        { onProgress: (ev) => reply.progress(ev) },
      );
      await reply.finish(renderOutcome(outcome, { actions: answerActions(deps, { botDm: decision.conversation.botDm, ephemeral: false }) }));
    } catch (err) {
      const ref = newRef();
      log.error({ err: logError(err), ref }, 'answering a Slack message failed');
      await reply.finish([renderNotice(`Sorry — something went wrong while answering. (ref ${ref})`)]).catch((e: unknown) => {
        log.error({ err: logError(e), ref }, 'could not tell the user about the failure');
      });
    }
  });
}

/** The thread's earlier turns, or a top-level DM's recent ones; a failed read answers without history. */
async function readHistory(m: InboundMessage, decision: AnswerDecision, context: Context, client: webApi.WebClient, deps: HandlerDeps, log: Logger): Promise<Turn[]> {
  try {
    if (decision.historyThreadTs) {
      const thread = { platform: 'slack' as const, channelId: m.channel, threadId: decision.replyThreadTs ?? decision.historyThreadTs };
      // A plain follow-up whose thread memory holds the turns (written by any replica) needs no
      // conversations.replies call. A mention in a thread may be about what others wrote there since
      // (a colleague's reply in a support thread), which only the platform has: read it then.
      if (!mentionsBot(m, context.botUserId) && (await deps.chat.remembers(thread))) return [];
      return await fetchThreadHistory(client, { channel: m.channel, threadTs: decision.historyThreadTs, beforeTs: m.ts }, context);
    }
    if (decision.conversation.botDm && !decision.replyThreadTs) return await fetchDmHistory(client, { channel: m.channel, beforeTs: m.ts }, context);
    return [];
  } catch (err) {
    log.warn({ err: logError(err), from: decision.historyThreadTs ? 'thread' : 'dm' }, 'reading the conversation history failed; answering without it');
    return [];
  }
}
