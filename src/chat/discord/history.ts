import type { Message } from 'discord.js';
import type { Turn } from '../../core/answer.js';
import { questionText } from './conversation.js';
import { WORKING_TEXT } from './render/outcome.js';

const HISTORY_MESSAGES = 20;
/** A DM is one long conversation: only its recent part is context for the next question. */
const DM_WINDOW_MS = 60 * 60 * 1000;

export interface HistoryItem {
  id: string;
  author: 'self' | 'user' | 'other-bot';
  text: string;
}

/**
 * The turns before `message` in its thread (starting with the message the thread was started
 * from) or DM, oldest first, read back from Discord so they survive a restart.
 */
export async function turnsBefore(message: Message, botId: string, botDm: boolean): Promise<Turn[]> {
  const channel = message.channel;
  const fetched = await channel.messages.fetch({ limit: HISTORY_MESSAGES, before: message.id });
  let earlier = [...fetched.values()];
  if (channel.isThread()) {
    const starter = await channel.fetchStarterMessage().catch(() => null);
    if (starter && !earlier.some((m) => m.id === starter.id)) earlier.push(starter);
  } else if (botDm) {
    earlier = earlier.filter((m) => m.createdTimestamp >= message.createdTimestamp - DM_WINDOW_MS);
  }
  return toTurns(earlier.map((m) => ({
    id: m.id,
    author: m.author.id === botId ? 'self' : m.author.bot ? 'other-bot' : 'user',
    text: questionText(m, botId),
  })));
}

/**
 * Orders items by id (snowflakes rise with time), keeps people and this bot, drops empty and
 * placeholder messages, and merges consecutive messages of one side (a split answer) into one turn.
 */
export function toTurns(items: HistoryItem[]): Turn[] {
  const turns: Turn[] = [];
  const ordered = [...items].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0));
  for (const item of ordered) {
    if (item.author === 'other-bot' || !item.text || item.text === WORKING_TEXT) continue;
    const role = item.author === 'self' ? 'assistant' : 'user';
    const last = turns[turns.length - 1];
    if (last?.role === role) last.text = `${last.text}\n\n${item.text}`;
    else turns.push({ role, text: item.text });
  }
  return turns;
}
