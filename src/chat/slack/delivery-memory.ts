import { LRUCache } from 'lru-cache';

export interface DeliveryMemoryOptions {
  /** Slack retries for up to ~5 minutes; remember ids well past that. */
  eventTtlMs?: number;
  /** How long a thread Cairn answered in keeps getting follow-ups without a mention. */
  threadTtlMs?: number;
  maxEntries?: number;
}

/**
 * What makes each question answered exactly once: event ids already seen (Slack's retries), user
 * messages already claimed (an app_mention and a message event for the same post), and the threads
 * Cairn answered in (follow-ups there need no mention). In memory: after a restart a thread is
 * recognised again by asking Slack (ThreadParticipation).
 */
export class DeliveryMemory {
  private readonly events: LRUCache<string, true>;
  private readonly messages: LRUCache<string, true>;
  private readonly threads: LRUCache<string, true>;

  constructor(opts: DeliveryMemoryOptions = {}) {
    const max = opts.maxEntries ?? 50_000;
    const eventTtl = opts.eventTtlMs ?? 15 * 60_000;
    this.events = new LRUCache({ max, ttl: eventTtl });
    this.messages = new LRUCache({ max, ttl: eventTtl });
    this.threads = new LRUCache({ max, ttl: opts.threadTtlMs ?? 7 * 24 * 3_600_000 });
  }

  /** True the first time an event id is seen; false for a retry. */
  firstDelivery(eventId: string): boolean {
    return claim(this.events, eventId);
  }

  /** True for the first event about a given user message; false for its twin. */
  claimMessage(channel: string, ts: string): boolean {
    return claim(this.messages, `${channel}:${ts}`);
  }

  rememberThread(channel: string, threadTs: string): void {
    this.threads.set(`${channel}:${threadTs}`, true);
  }

  answeredInThread(channel: string, threadTs: string): boolean {
    return this.threads.has(`${channel}:${threadTs}`);
  }
}

function claim(cache: LRUCache<string, true>, key: string): boolean {
  if (cache.has(key)) return false;
  cache.set(key, true);
  return true;
}
