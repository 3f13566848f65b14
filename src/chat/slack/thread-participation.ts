import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { BotIdentity, ThreadMessage } from './history.js';

export interface ThreadParticipationOptions {
  /** How long "Cairn never posted in this thread" is trusted before asking Slack again (default 10 min). */
  threadCheckTtlMs?: number;
}

/**
 * Whether Cairn posted in a thread it does not remember answering in (memory is lost on restart).
 * Asks conversations.replies once per thread; a "no" is cached so a busy human thread costs one
 * call per TTL, and concurrent messages in one thread share a single call. Failures are not cached.
 */
export class ThreadParticipation {
  private readonly checks: LRUCache<string, Promise<boolean>>;

  constructor(private readonly client: webApi.WebClient, opts: ThreadParticipationOptions = {}) {
    this.checks = new LRUCache({ max: 10_000, ttl: opts.threadCheckTtlMs ?? 10 * 60_000 });
  }

  botPostedIn(channel: string, threadTs: string, bot: BotIdentity): Promise<boolean> {
    const key = `${channel}:${threadTs}`;
    const known = this.checks.get(key);
    if (known) return known;
    const check = this.ask(channel, threadTs, bot);
    this.checks.set(key, check);
    check.catch(() => this.checks.delete(key));
    return check;
  }

  private async ask(channel: string, threadTs: string, bot: BotIdentity): Promise<boolean> {
    const res = await this.client.conversations.replies({ channel, ts: threadTs, limit: 200 });
    return ((res.messages ?? []) as ThreadMessage[]).some(
      (m) => (bot.botId !== undefined && m.bot_id === bot.botId) || (bot.botUserId !== undefined && m.user === bot.botUserId),
    );
  }
}
