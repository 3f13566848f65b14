import { Assistant, type App, type AssistantUserMessageMiddleware, type Context, type webApi } from '@slack/bolt';
import type { AssistantPrompt } from '../../../config/config.js';
import type { Audience } from '../../../core/access.js';
import type { Turn } from '../../../core/answer.js';
import type { Logger } from '../../../core/logger.js';
import { contextMetadata, ThreadContextStore } from '../assistant-context.js';
import { fetchThreadHistory } from '../history.js';
import { decideMessage, type InboundMessage } from '../message-policy.js';
import { PROMPTS_TITLE, renderGreeting, threadTitle } from '../render/assistant.js';
import { renderNotice, renderOutcome } from '../render/blocks.js';
import { StreamedReply, type AssistantThread } from '../streamed-reply.js';
import type { HandlerDeps } from './deps.js';
import { logError, newRef } from '../../shared/log-error.js';
import type { RawMessageEvent } from './messages.js';


type UserMessageArgs = Parameters<AssistantUserMessageMiddleware>[0];

/**
 * Slack's AI-app surface (SLACK_ASSISTANT): Cairn as a Bolt Assistant in the split-view panel.
 * A new thread gets a greeting and suggested prompts; the channel the user is viewing is kept on the
 * greeting (ThreadContextStore) and bounds what answers there may read; each message is answered
 * with status, a streamed draft and the final cited answer (StreamedReply). Registered as middleware
 * after the delivery dedupe, it takes the assistant threads' events before the message handlers do.
 */
export function registerAssistant(app: App, deps: HandlerDeps, prompts: AssistantPrompt[]): void {
  const log = deps.logger.child({ surface: 'assistant' });
  app.assistant(
    new Assistant({
      threadContextStore: new ThreadContextStore(log),
      threadStarted: async ({ event, client, setSuggestedPrompts }) => {
        const t = event.assistant_thread;
        await client.chat.postMessage({ channel: t.channel_id, thread_ts: t.thread_ts, ...renderGreeting(), metadata: contextMetadata(t.context) }).catch((err: unknown) => {
          log.warn({ err: logError(err), channel: t.channel_id }, 'posting the assistant greeting failed');
        });
        await setSuggestedPrompts({ prompts, title: PROMPTS_TITLE });
      },
      threadContextChanged: async ({ saveThreadContext }) => saveThreadContext(),
      userMessage: (args) => onUserMessage(args, deps, log),
    }),
  );
}

async function onUserMessage(args: UserMessageArgs, deps: HandlerDeps, baseLog: Logger): Promise<void> {
  const { message, context, client } = args;
  const e = message as RawMessageEvent;
  if (!e.channel || !e.ts || !e.thread_ts) return;
  const m: InboundMessage = {
    kind: 'message', channel: e.channel, channelType: e.channel_type, user: e.user, botId: e.bot_id, subtype: e.subtype, text: e.text, ts: e.ts, threadTs: e.thread_ts,
  };
  // An assistant thread is the user's own DM with Cairn: everything written there is for Cairn.
  const decision = decideMessage(m, { botUserId: context.botUserId, allowedChannels: deps.config.allowedChannels, answeredInThread: () => true });
  const log = baseLog.child({ channel: m.channel, ts: m.ts });
  if (!decision.answer || !m.user) {
    log.debug({ reason: decision.answer ? 'no_user' : decision.reason }, 'assistant thread message not for Cairn');
    return;
  }
  if (!(await deps.memory.claimMessage(m.channel, m.ts))) {
    log.debug('message already being answered');
    return;
  }
  const thread: AssistantThread = { channel: m.channel, threadTs: e.thread_ts, userId: m.user, ...(context.teamId ? { teamId: context.teamId } : {}) };
  const question = decision.question;

  deps.background('assistant-answer', async () => {
    const reply = new StreamedReply(client, thread, deps.progressIntervalMs, log);
    try {
      const [, viewing, history] = await Promise.all([reply.start(), viewedChannel(args, log), readHistory(client, thread, m.ts, context, log)]);
      const titled = history.length === 0
        ? args.setTitle(threadTitle(question)).then(() => undefined, (err: unknown) => log.warn({ err: logError(err) }, 'setting the assistant thread title failed'))
        : undefined;
      const audience: Audience = { kind: 'viewer', userId: thread.userId, ...(viewing ? { viewingChannelId: viewing } : {}) };
      const outcome = await deps.chat.ask(
        { platform: 'slack', channelId: thread.channel, threadId: thread.threadTs, userId: thread.userId, text: question, audience, history },
        { onProgress: (ev) => reply.progress(ev) },
      );
      await reply.finish(renderOutcome(outcome));
      await titled;
    } catch (err) {
      const ref = newRef();
      log.error({ err: logError(err), ref }, 'answering in an assistant thread failed');
      await reply.finish([renderNotice(`Sorry — something went wrong while answering. (ref ${ref})`)]).catch((e2: unknown) => {
        log.error({ err: logError(e2), ref }, 'could not tell the user about the failure');
      });
    }
  });
}

/**
 * The channel the user is viewing, if any. When it cannot be read the answer draws on the user's
 * own groups alone, which the one rule allows: only they see the assistant thread.
 */
async function viewedChannel(args: UserMessageArgs, log: Logger): Promise<string | undefined> {
  try {
    return (await args.getThreadContext()).channel_id ?? undefined;
  } catch (err) {
    log.warn({ err: logError(err) }, 'reading the assistant thread context failed; answering with the user’s own access groups');
    return undefined;
  }
}

async function readHistory(client: webApi.WebClient, thread: AssistantThread, beforeTs: string, context: Context, log: Logger): Promise<Turn[]> {
  try {
    return await fetchThreadHistory(client, { channel: thread.channel, threadTs: thread.threadTs, beforeTs }, context);
  } catch (err) {
    log.warn({ err: logError(err) }, 'reading the assistant thread history failed; answering without it');
    return [];
  }
}
