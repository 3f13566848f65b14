import { ChannelType, ThreadAutoArchiveDuration, type Message, type SendableChannels } from 'discord.js';
import type { Turn } from '../../../core/answer.js';
import type { Logger } from '../../../core/logger.js';
import type { IncomingQuestion } from '../../shared/types.js';
import { discordConversation, questionText } from '../conversation.js';
import { answerInto, type ReplySurface } from '../delivery.js';
import { turnsBefore } from '../history.js';
import type { HandlerDeps } from './deps.js';
import { answerActions } from './answer-buttons.js';
import { threadName, WORKING_TEXT } from '../render/outcome.js';
import { logError, newRef } from '../../shared/log-error.js';
import { discordFiles } from '../files.js';

export type MessageHandlerDeps = Pick<HandlerDeps, 'chat' | 'logger' | 'progressIntervalMs' | 'delivery' | 'autoAnswer' | 'supportThreads' | 'answers' | 'handoffRoleId'>;

/**
 * Where a message is answered: a DM, a thread already under way, a new thread from a channel
 * message, or a new post in a forum Cairn answers unasked (in the post).
 */
type Conversation = 'dm' | 'thread' | 'channel' | 'post';

const sorry = (ref: string): string => `Sorry — something went wrong on my side while answering. Please try again. (ref ${ref})`;

/**
 * Answers mentions in channels (in a new thread started from the message), every message in a
 * DM, every message in a thread the bot started or is mentioned in, using the thread's history, and
 * every new post in an auto-answer forum with its asker's follow-ups, until another person replies there.
 */
export function createMessageHandler(deps: MessageHandlerDeps): (message: Message) => Promise<void> {
  return async (message) => {
    const botId = message.client.user.id;
    const where = discordConversation({ channel: message.channel, channelId: message.channelId, userId: message.author.id });
    const kind = conversationOf(message, botId, where.botDm) ?? await supportConversation(message, botId, deps);
    if (!kind) return;
    const log = deps.logger.child({ channel: message.channelId, messageId: message.id, conversation: kind });
    // Several replicas on one token each receive every message; only the first to claim it answers.
    if (deps.delivery && !(await deps.delivery.dedupe.claim(`discord:message:${message.id}`))) {
      log.debug('message already answered by another replica');
      return;
    }
    let working: Message | null = null;
    try {
      const text = kind === 'post' ? postQuestion(message, botId) : questionText(message, botId);
      const base = {
        platform: 'discord' as const,
        channelId: where.accessChannelId,
        userId: message.author.id,
        userName: message.author.username,
        text,
        audience: where.audience,
      };
      if (!text) {
        // A bare mention: the service's hint, in place, without opening a thread for it.
        const outcome = await deps.chat.ask({ ...base, history: [] });
        if (outcome.kind === 'notice') await message.reply({ content: outcome.text });
        return;
      }
      if (kind === 'post') await deps.supportThreads.remember(supportKey(message.channelId));
      const opened = await open(message, kind, text, botId, log);
      working = opened.working;
      const files = discordFiles(message);
      const question: IncomingQuestion = {
        ...base, history: opened.history, ...(opened.threadId ? { threadId: opened.threadId } : {}), ...(files.length > 0 ? { files } : {}),
      };
      const surface: ReplySurface = {
        edit: (m) => opened.working.edit(m),
        send: (m) => opened.channel.send(m),
      };
      const outcome = await answerInto(surface, (onProgress) => deps.chat.ask(question, { onProgress }), {
        progressIntervalMs: deps.progressIntervalMs,
        actions: answerActions(deps, { botDm: where.botDm, ephemeral: false }),
        onProgressError: (err) => log.warn({ err: logError(err) }, 'could not show progress'),
      });
      log.info({ requestId: outcome.requestId, outcome: outcome.kind }, 'message answered');
    } catch (err) {
      const ref = newRef();
      log.error({ err: logError(err), ref }, 'answering a message failed');
      const content = sorry(ref);
      await (working ? working.edit({ content, embeds: [], components: [] }) : message.reply({ content }))
        .catch((e: unknown) => log.error({ err: logError(e), ref }, 'could not tell the user that answering failed'));
    }
  };
}

function conversationOf(message: Message, botId: string, botDm: boolean): Conversation | null {
  const channel = message.channel;
  if (botDm) return 'dm';
  const mentioned = message.mentions.users.has(botId);
  if (channel.isThread()) return mentioned || channel.ownerId === botId ? 'thread' : null;
  return mentioned ? 'channel' : null;
}

const supportKey = (threadId: string) => `discord:support:${threadId}`;
const takenKey = (threadId: string) => `discord:taken:${threadId}`;

/**
 * An unmentioned message in a forum: the post itself (its starter message shares the thread's id)
 * when the forum is on, or a reply in a post Cairn answered unasked. There Cairn follows up with the
 * asker (the post's owner) until anyone else replies; from then on only a mention brings it back.
 */
async function supportConversation(message: Message, botId: string, deps: MessageHandlerDeps): Promise<Conversation | null> {
  const channel = message.channel;
  if (!channel.isThread() || channel.parent?.type !== ChannelType.GuildForum || message.mentions.users.has(botId)) return null;
  if (message.id === channel.id) return (await deps.autoAnswer.isOn(channel.parentId as string)) ? 'post' : null;
  if (!(await deps.supportThreads.has(supportKey(channel.id))) || (await deps.supportThreads.has(takenKey(channel.id)))) return null;
  if (message.author.id === channel.ownerId) return 'thread';
  await deps.supportThreads.remember(takenKey(channel.id));
  return null;
}

/** A forum post asks in its title as much as in its text: both, unless the text repeats the title. */
function postQuestion(message: Message, botId: string): string {
  const text = questionText(message, botId);
  const title = message.channel.isThread() ? message.channel.name.trim() : '';
  return !title || text.toLowerCase().includes(title.toLowerCase()) ? text : `${title}\n\n${text}`.trim();
}

interface Opened {
  channel: SendableChannels;
  working: Message;
  history: Turn[];
  threadId?: string;
}

/** Posts the working message where the answer will go, and reads the conversation so far. */
async function open(message: Message, kind: Conversation, text: string, botId: string, log: Logger): Promise<Opened> {
  if (kind === 'channel') {
    const thread = await message.startThread({ name: threadName(text), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay })
      .catch((err: unknown) => {
        log.warn({ err: logError(err) }, 'could not start a thread (missing Create Public Threads permission?); answering in the channel');
        return null;
      });
    if (thread) return { channel: thread, working: await thread.send({ content: WORKING_TEXT }), history: [], threadId: thread.id };
    return { channel: message.channel as SendableChannels, working: await message.reply({ content: WORKING_TEXT }), history: [] };
  }
  // A new post: the question is the whole conversation so far.
  if (kind === 'post') return { channel: message.channel as SendableChannels, working: await message.reply({ content: WORKING_TEXT }), history: [], threadId: message.channelId };
  const [history, working] = await Promise.all([
    turnsBefore(message, botId, kind === 'dm').catch((err: unknown) => {
      log.warn({ err: logError(err) }, 'could not read the conversation history (missing Read Message History?); answering without it');
      return [];
    }),
    message.reply({ content: WORKING_TEXT }),
  ]);
  return { channel: message.channel as SendableChannels, working, history, ...(kind === 'thread' ? { threadId: message.channelId } : {}) };
}
