import type { RequestListener } from 'node:http';
import type { AnswerRecords, FeedbackRecorder } from '../core/feedback.js';
import type { Logger } from '../core/logger.js';
import type { DeliveryDedupe } from '../shared-state/dedupe.js';
import type { Leases } from '../shared-state/lease.js';
import type { ThreadRegistry } from '../shared-state/threads.js';
import type { ChannelSettings } from '../shared-state/channel-settings.js';
import type { GapsSummary, IndexAdmin, ReindexGate } from './shared/admin.js';
import type { ChatService } from './shared/chat-service.js';

/**
 * One chat platform behind one shape, as Bolt puts every transport behind its `Receiver`: the app
 * builds a list of these from config and starts, mounts and stops them without asking which is which.
 */
export interface ChatSurface {
  readonly name: 'slack' | 'discord';
  /** Connects and checks the credentials; rejects with a CONFIG error that names what to check. */
  start(): Promise<void>;
  /** Stops taking events, then waits (bounded) for answers in flight so none is left half-posted. */
  stop(): Promise<void>;
  /** HTTP listeners to mount on Cairn's server, by path: Slack's Events API endpoint in HTTP mode. */
  readonly routes?: Readonly<Record<string, RequestListener>>;
  /** Set when the platform has a gaps channel (SLACK_GAPS_CHANNEL, DISCORD_GAPS_CHANNEL): where the weekly summary goes. */
  readonly gapsChannel?: GapsChannel;
}

/**
 * The admin channel the weekly coverage-gaps summary is posted to. The app decides when, and which
 * questions the channel may see (core/access.ts); the surface only renders and posts, split to the
 * platform's message limit, pinging nobody.
 */
export interface GapsChannel {
  readonly id: string;
  /** Rejects when the platform refused a message (the app logs it and tries again later). */
  post(report: GapsSummary): Promise<void>;
}

/** The index operations the admin commands run; one ReindexGate is shared by every surface. */
export interface SurfaceAdmin {
  reindex: Pick<ReindexGate, 'start'>;
  index: Pick<IndexAdmin, 'sources' | 'status' | 'gaps'>;
}

/** What every surface is built from; each platform takes its own config and test options beside it. */
export interface SurfaceDeps {
  chat: Pick<ChatService, 'ask' | 'delivery' | 'accessGroups' | 'remembers'>;
  admin: SurfaceAdmin;
  feedback: FeedbackRecorder;
  /** Recorded answers for the Share and "Still need help?" buttons; without it neither button is offered. */
  answers?: AnswerRecords;
  logger: Logger;
  /** Delivery dedupe and the threads Cairn is in, shared by every replica (Redis); in-process when absent. */
  delivery?: { dedupe: DeliveryDedupe; threads: ThreadRegistry };
  /** Who holds each Discord gateway shard across replicas (Redis); this process alone when absent. */
  leases?: Leases;
  /** Admins' `/cairn-channel` switches, kept across restarts (SQLite or PostgreSQL); in process when absent. */
  channelSettings?: ChannelSettings;
}
