import { DEDUPE_TTL_MS, MemoryDedupe, type DeliveryDedupe } from '../../shared-state/dedupe.js';
import { MemoryThreadRegistry, THREAD_TTL_MS, type ThreadRegistry } from '../../shared-state/threads.js';

export interface DeliveryMemoryOptions {
  /** Slack retries for up to ~5 minutes; remember ids well past that (in-process stores only). */
  eventTtlMs?: number;
  /** How long a thread Cairn answered in keeps getting follow-ups without a mention (in-process stores only). */
  threadTtlMs?: number;
}

/** Where the claims and threads are kept: in this process by default, in Redis for several replicas. */
export interface DeliveryStores {
  dedupe: DeliveryDedupe;
  threads: ThreadRegistry;
}

/** The fields of a Slack event envelope that identify one delivery; retries repeat all three. */
export interface SlackEnvelope {
  apiAppId?: string;
  teamId?: string;
  eventId: string;
}

/**
 * What makes each question answered exactly once: events already seen (Slack's retries), user
 * messages already claimed (an app_mention and a message event for the same post), and the threads
 * Cairn answered in (follow-ups there need no mention). Not in the stores, a thread is recognised
 * by asking Slack (ThreadParticipation).
 */
export class DeliveryMemory {
  private readonly dedupe: DeliveryDedupe;
  private readonly threads: ThreadRegistry;

  constructor(opts: DeliveryMemoryOptions = {}, stores?: DeliveryStores) {
    this.dedupe = stores?.dedupe ?? new MemoryDedupe({ ttlMs: opts.eventTtlMs ?? DEDUPE_TTL_MS });
    this.threads = stores?.threads ?? new MemoryThreadRegistry({ ttlMs: opts.threadTtlMs ?? THREAD_TTL_MS });
  }

  /** True the first time an event is seen; false for a retry, whichever replica saw it first. */
  firstDelivery(e: SlackEnvelope): Promise<boolean> {
    return this.dedupe.claim(`slack:event:${e.apiAppId ?? ''}:${e.teamId ?? ''}:${e.eventId}`);
  }

  /** True for the first event about a given user message; false for its twin. */
  claimMessage(channel: string, ts: string): Promise<boolean> {
    return this.dedupe.claim(`slack:message:${channel}:${ts}`);
  }

  rememberThread(channel: string, threadTs: string): Promise<void> {
    return this.threads.remember(`slack:${channel}:${threadTs}`);
  }

  answeredInThread(channel: string, threadTs: string): Promise<boolean> {
    return this.threads.has(`slack:${channel}:${threadTs}`);
  }

  /** A thread Cairn joined unasked in a support channel: it steps back there once another person replies. */
  rememberSupportThread(channel: string, threadTs: string): Promise<void> {
    return this.threads.remember(`slack:support:${channel}:${threadTs}`);
  }

  /** Someone other than the asker replied in a support thread: from now on only a mention is answered there. */
  supportThreadTakenOver(channel: string, threadTs: string): Promise<void> {
    return this.threads.remember(`slack:taken:${channel}:${threadTs}`);
  }

  /** Undefined for a thread that is not a support thread. */
  async supportThread(channel: string, threadTs: string): Promise<{ quiet: boolean } | undefined> {
    if (!(await this.threads.has(`slack:support:${channel}:${threadTs}`))) return undefined;
    return { quiet: await this.threads.has(`slack:taken:${channel}:${threadTs}`) };
  }
}
