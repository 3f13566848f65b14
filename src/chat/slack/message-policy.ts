import { looksLikeQuestion } from '../shared/question-rule.js';
import { eventIsBotDm, slackConversation, type SlackConversation } from './conversation.js';

/**
 * An app_mention or message event in one shape, for the policy below. Slack-only, it never leaves
 * chat/slack: it exists before there is a question (most events are not for Cairn) and carries what
 * only the policy reads (subtype, bot id, thread ts). An event the policy answers becomes the one
 * cross-platform type, chat/shared's IncomingQuestion.
 */
export interface InboundMessage {
  kind: 'message' | 'app_mention';
  channel: string;
  /** 'channel' | 'group' | 'im' | 'mpim'; app_mention events do not carry it. */
  channelType?: string;
  user?: string;
  botId?: string;
  subtype?: string;
  text?: string;
  ts: string;
  threadTs?: string;
  /** Who wrote a thread's first message (Slack's `parent_user_id` on thread replies). */
  parentUserId?: string;
}

export interface PolicyContext {
  botUserId?: string;
  allowedChannels: readonly string[];
  answeredInThread: (channel: string, threadTs: string) => boolean;
  /** The message's channel answers questions without a mention (a support channel). */
  autoAnswer?: boolean;
  /** The message's thread is one Cairn joined unasked in a support channel; quiet once another person replied there. */
  supportThread?: { quiet: boolean };
}

export type IgnoreReason =
  | 'bot' | 'self' | 'edit' | 'empty' | 'not_addressed' | 'channel_not_allowed'
  /** A support channel message that does not ask anything. */
  | 'not_a_question'
  /** Someone other than the asker replied in a support thread: a person is helping, Cairn steps back. */
  | 'another_person_replied'
  /** A support thread where a person already replied: only a mention brings Cairn back. */
  | 'thread_taken_over';

export type MessageDecision =
  | { answer: false; reason: IgnoreReason }
  | {
      answer: true;
      /** The text with the bot's mention removed. */
      question: string;
      /** Where it was asked: decides who sees the answer and what it may cite. */
      conversation: SlackConversation;
      /** Where the reply goes: the message's thread in channels; top level for a top-level DM. */
      replyThreadTs: string | undefined;
      /** The thread whose earlier turns are the history, when the message is inside one. */
      historyThreadTs: string | undefined;
      /** Answered unasked, as a support channel's question: its thread becomes a support thread. */
      support?: true;
    };

/** Subtypes that are still a person writing a new message; every other subtype is an edit, join, etc. */
const USER_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

/**
 * Whom Cairn answers in Slack, as a pure decision over a normalised event: mentions in channels,
 * direct messages, follow-ups in threads it already answered in, and in support channels every
 * new top-level question. Bots, itself, edits and empty messages are ignored.
 */
export function decideMessage(m: InboundMessage, ctx: PolicyContext): MessageDecision {
  if (m.botId || m.subtype === 'bot_message') return { answer: false, reason: ctx.botUserId && m.user === ctx.botUserId ? 'self' : 'bot' };
  if (ctx.botUserId && m.user === ctx.botUserId) return { answer: false, reason: 'self' };
  if ((m.subtype && !USER_SUBTYPES.has(m.subtype)) || !m.user) return { answer: false, reason: 'edit' };
  const raw = (m.text ?? '').trim();
  if (!raw) return { answer: false, reason: 'empty' };

  const conversation = slackConversation({ channel: m.channel, userId: m.user, botDm: eventIsBotDm(m) }, ctx.allowedChannels);
  const isDirect = conversation.botDm;
  const inThread = m.threadTs !== undefined && m.threadTs !== m.ts;
  const mentioned = mentionsBot(m, ctx.botUserId);
  if (!isDirect) {
    if (!conversation.allowed) return { answer: false, reason: 'channel_not_allowed' };
    if (!mentioned && !inThread && ctx.autoAnswer) {
      if (!looksLikeQuestion(raw)) return { answer: false, reason: 'not_a_question' };
      // A question put to a colleague by name is theirs to answer.
      if (mentionsSomeoneElse(raw)) return { answer: false, reason: 'not_addressed' };
      return { answer: true, question: raw, conversation, replyThreadTs: m.ts, historyThreadTs: undefined, support: true };
    }
    if (!mentioned && inThread && ctx.supportThread) {
      if (ctx.supportThread.quiet) return { answer: false, reason: 'thread_taken_over' };
      if (m.parentUserId !== undefined && m.user !== m.parentUserId) return { answer: false, reason: 'another_person_replied' };
    }
    // A thread message addressed to someone else (it mentions a person, not Cairn) is not a follow-up.
    const followUp = inThread && !mentionsSomeoneElse(raw) && ctx.answeredInThread(m.channel, m.threadTs as string);
    if (!mentioned && !followUp) return { answer: false, reason: 'not_addressed' };
  }
  return {
    answer: true,
    question: stripMention(raw, ctx.botUserId),
    conversation,
    replyThreadTs: isDirect && !inThread ? undefined : (m.threadTs ?? m.ts),
    historyThreadTs: inThread ? m.threadTs : undefined,
  };
}

export function stripMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text.trim();
  return text.replace(new RegExp(mentionPattern(botUserId).source, 'g'), '').trim();
}

function mentionsSomeoneElse(text: string): boolean {
  return /<@[UW][A-Z0-9]+(?:\|[^>]*)?>/.test(text);
}

/** Whether the message is addressed to Cairn by name (an app_mention event, or `<@bot>` in its text). */
export function mentionsBot(m: Pick<InboundMessage, 'kind' | 'text'>, botUserId: string | undefined): boolean {
  return m.kind === 'app_mention' || (botUserId !== undefined && mentionPattern(botUserId).test(m.text ?? ''));
}

function mentionPattern(botUserId: string): RegExp {
  return new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`);
}
