/**
 * The real Discord adapter (real discord.js Client, real ChatService) against the local fake
 * Discord, with a scripted Answerer and an IndexAdmin whose re-index a test releases by hand.
 */
import { pino } from 'pino';
import { createDiscordAdapter, type DiscordAdapterOptions, type DiscordConfig } from '../../../src/chat/discord/index.js';
import { ChatService } from '../../../src/chat/shared/chat-service.js';
import { ReindexGate, type IndexAdmin, type SourcesReport, type StatusReport, type StatusViewer } from '../../../src/chat/shared/admin.js';
import type { AnswerRecords, FeedbackVote } from '../../../src/core/feedback.js';
import type { ChatSurface, SurfaceDeps } from '../../../src/chat/surface.js';
import type { AnswerReply, AnswerRequest, Citation } from '../../../src/core/answer.js';
import { FakeDiscord, user } from '../../fakes/discord-server.js';

export const GUILD = '200000000000000001';
export const CHANNEL_A = '300000000000000001';
export const CHANNEL_B = '300000000000000002';
export const FORUM = '300000000000000003';
export const ADMIN_ROLE = '400000000000000001';
export const DM_CHANNEL = '500000000000000001';
export const ALICE = user('100000000000000001', 'alice');
export const DM_USER = user('100000000000000002', 'dora');

export const CITATIONS: Citation[] = [
  { n: 1, title: 'Deploy guide', source: 'docs/deploy.md', url: 'https://docs.example.com/deploy', snippet: 'Run make deploy.', chunkId: 'c1' },
  { n: 2, title: 'Runbook', source: 'runbooks/oncall.md', snippet: 'Page the on-call.', chunkId: 'c2' },
];

export function reply(text: string, over: Partial<AnswerReply> = {}): AnswerReply {
  return {
    text, citations: CITATIONS, grounding: { verdict: 'supported', confidence: 0.9 }, mode: 'agent', toolsUsed: [],
    llm: { calls: 1, promptTokens: 10, completionTokens: 10 }, timingsMs: {}, ...over,
  };
}

export class ScriptedAdmin implements IndexAdmin {
  reindexCalls: (string | undefined)[] = [];
  sourceIds = () => ['docs', 'handbook'];
  private release: (() => void) | null = null;

  async reindex(source: string | undefined, onProgress: (line: string) => void): Promise<string> {
    this.reindexCalls.push(source);
    onProgress('scanned 3 files');
    await new Promise<void>((resolve) => (this.release = resolve));
    onProgress('embedded 10 chunks');
    return 'indexed 3 documents (10 chunks)';
  }

  finishReindex(): void {
    this.release?.();
  }

  /** The access groups each /cairn-sources asked for. */
  readonly sourcesAsked: string[][] = [];
  async sources(groups: string[]): Promise<SourcesReport> {
    this.sourcesAsked.push(groups);
    return { sources: [], documents: [{ source: 'docs/deploy.md', title: 'Deploy guide', chunks: 4, indexedAt: '2025-01-02T03:04:05.000Z' }] };
  }

  /** The access groups each /cairn-gaps asked for. */
  readonly gapsAsked: string[][] = [];
  async gaps(groups: string[]) {
    this.gapsAsked.push(groups);
    return { days: 30, questions: 2, topics: [{ size: 2, suggestedTitle: 'Rotate the VPN token', examples: ['How do I rotate the VPN token?'], closest: ['VPN guide'] }] };
  }
  /** Who asked each /cairn-status. */
  readonly statusAsked: StatusViewer[] = [];
  async status(viewer: StatusViewer): Promise<StatusReport> {
    this.statusAsked.push(viewer);
    return this.report();
  }

  report: () => Promise<StatusReport> = async () => ({
    documents: 3, chunks: 10, embedder: 'use-lite', store: 'embedded', model: 'gpt-test', reranker: 'none', uptimeSeconds: 120, recentErrors: [],
  });
}

export interface Harness {
  fake: FakeDiscord;
  adapter: ChatSurface;
  admin: ScriptedAdmin;
  /** Every request the Answerer received, in order. */
  requests: AnswerRequest[];
  votes: FeedbackVote[];
  /** What the Answerer does; tests replace it. */
  answer: (req: AnswerRequest) => Promise<AnswerReply>;
  /** What recording a vote does (by default, push it to `votes`); tests replace it. */
  record: (vote: FeedbackVote) => Promise<void>;
  botMessages(channelId: string): ReturnType<FakeDiscord['messagesIn']>;
  /** Waits for a bot message in the channel whose content matches (edits included). */
  botSays(channelId: string, match: RegExp): Promise<ReturnType<FakeDiscord['messagesIn']>[number]>;
  close(): Promise<void>;
}

/** The fake Discord every harness talks to unless a test brings its own (several replicas share one). */
export function startFakeDiscord(opts: { recommendedShards?: number } = {}): Promise<FakeDiscord> {
  return FakeDiscord.start({ guilds: [{ id: GUILD, channels: [{ id: CHANNEL_A, name: 'team-a' }, { id: CHANNEL_B, name: 'team-b' }, { id: FORUM, name: 'help', forum: true }], roles: [ADMIN_ROLE] }], ...opts });
}

export interface HarnessOptions {
  /** A fake shared with other harnesses (replicas); it is then left open by `close`. */
  fake?: FakeDiscord;
  /** Shared state for the surface (dedupe, shard leases), as app/surfaces.ts passes it. */
  deps?: Pick<SurfaceDeps, 'delivery' | 'leases' | 'channelSettings'>;
  config?: Partial<DiscordConfig>;
  options?: DiscordAdapterOptions;
  /** Leave the adapter unstarted (a test that expects start to fail, or starts it itself). */
  start?: boolean;
  /** Recorded answers for the Share and hand-off buttons (the app passes the feedback store's). */
  answers?: AnswerRecords;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const fake = opts.fake ?? await startFakeDiscord();
  const logger = pino({ level: 'silent' });
  const admin = new ScriptedAdmin();
  const h = {
    fake, admin, requests: [] as AnswerRequest[], votes: [] as FeedbackVote[],
    answer: async (req: AnswerRequest) => reply(`You asked: ${req.question} [1][2]`),
    record: async (v: FeedbackVote) => void h.votes.push(v),
  } as Harness;
  const chat = new ChatService({
    answerer: { answer: (req) => { h.requests.push(req); return h.answer(req); } },
    config: {
      access: { channels: { [CHANNEL_A]: ['team-a'], [CHANNEL_B]: ['team-b'], [FORUM]: ['support'] }, users: { [DM_USER.id]: ['dm-group'] }, publicGroups: ['public'], webSearchWithPrivateGroups: false },
      limits: { maxQuestionChars: 4000, ratePerMinute: 1000, queueConcurrency: 4, queueMax: 100, attachmentMaxBytes: 5 * 1024 * 1024 },
    },
    logger,
  });
  h.adapter = createDiscordAdapter({ chat, admin: { reindex: new ReindexGate(admin), index: admin }, feedback: { record: (v) => h.record(v) }, ...(opts.answers ? { answers: opts.answers } : {}), logger, ...opts.deps }, {
    config: { token: 'test-token', apiUrl: fake.apiUrl, adminRoleIds: [ADMIN_ROLE], shardCount: 1, interactions: 'gateway', ...opts.config },
    options: { clientOptions: { rest: { retries: 0, timeout: 3000 } }, progressIntervalMs: 40, shutdownGraceMs: 2000, ...opts.options },
  });
  if (opts.start !== false) await h.adapter.start();
  h.botMessages = (channelId) => fake.messagesIn(channelId).filter((m) => m.author.id === fake.botUser.id);
  h.botSays = (channelId, match) => fake.until(() => h.botMessages(channelId).find((m) => match.test(m.content)));
  h.close = async () => {
    admin.finishReindex();
    await h.adapter.stop();
    if (!opts.fake) await fake.close();
  };
  return h;
}

/** Lets the gateway deliver what was sent so far and the bot react (or not). */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
