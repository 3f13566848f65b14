import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { ChatService } from '../../../src/chat/shared/chat-service.js';
import { ReindexGate, type IndexAdmin, type StatusViewer } from '../../../src/chat/shared/admin.js';
import type { FeedbackRecorder, FeedbackVote } from '../../../src/core/feedback.js';
import { createSlackAdapter, SLACK_EVENTS_PATH, type SlackAdapterOptions } from '../../../src/chat/slack/index.js';
import type { ChatSurface } from '../../../src/chat/surface.js';
import type { AssistantPrompt } from '../../../src/config/config.js';
import type { AnswerReply, AnswerRequest, Answerer } from '../../../src/core/answer.js';
import type { Logger } from '../../../src/core/logger.js';
import type { ChannelSettings } from '../../../src/shared-state/channel-settings.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack-server.js';
import { recordingAnswerer, recordingAnswers } from '../../../src/app/feedback-recording.js';
import { FeedbackStore } from '../../../src/feedback/feedback-store.js';
import { Metrics } from '../../../src/observability/metrics.js';
import type { SlackConfig } from '../../../src/chat/slack/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const SECRET = 'test-signing-secret';
export const ADMIN = 'UADMIN';

export function reply(text: string, over: Partial<AnswerReply> = {}): AnswerReply {
  return {
    text,
    citations: [{ n: 1, title: 'Deploy guide', source: 'docs/deploy.md', url: 'https://docs.example.com/deploy', snippet: 'Run make deploy', chunkId: 'c1' }],
    grounding: { verdict: 'supported', confidence: 0.9 },
    mode: 'agent', toolsUsed: [], llm: { calls: 1, promptTokens: 10, completionTokens: 10 }, timingsMs: {},
    ...over,
  };
}

/** An Answerer whose behaviour each test scripts; it records every request it gets. */
export class ScriptedAnswerer implements Answerer {
  readonly requests: AnswerRequest[] = [];
  script: (r: AnswerRequest) => Promise<AnswerReply> = async (r) => reply(`Answer to: ${r.question} [1]`);
  /** Thread keys whose turns thread memory holds (as a checkpoint another replica wrote would). */
  readonly remembered = new Set<string>();
  async remembers(thread: string): Promise<boolean> {
    return this.remembered.has(thread);
  }
  answer(r: AnswerRequest): Promise<AnswerReply> {
    this.requests.push(r);
    return this.script(r);
  }
}

/** An IndexAdmin whose re-index waits until the test releases it. */
export class FakeIndexAdmin implements IndexAdmin {
  release: () => void = () => undefined;
  sourceIds = () => ['docs', 'handbook'];
  reindex(source: string | undefined, onProgress: (line: string) => void): Promise<string> {
    onProgress(`scanning ${source ?? 'everything'}`);
    return new Promise((resolve) => {
      this.release = () => {
        onProgress('embedded 12 chunks');
        resolve('3 documents, 12 chunks');
      };
    });
  }
  /** The access groups each /cairn-sources asked for. */
  readonly sourcesAsked: string[][] = [];
  async sources(groups: string[]) {
    this.sourcesAsked.push(groups);
    return { sources: [], documents: [{ source: 'docs/deploy.md', title: 'Deploy guide', chunks: 12, indexedAt: '2025-01-02T03:04:05Z' }] };
  }
  /** The access groups each /cairn-gaps asked for. */
  readonly gapsAsked: string[][] = [];
  async gaps(groups: string[]) {
    this.gapsAsked.push(groups);
    return { days: 30, questions: 2, topics: [{ size: 2, suggestedTitle: 'Rotate the VPN token', examples: ['How do I rotate the VPN token?'], closest: ['VPN guide'] }] };
  }
  /** Who asked each /cairn-status. */
  readonly statusAsked: StatusViewer[] = [];
  async status(viewer: StatusViewer) {
    this.statusAsked.push(viewer);
    return { documents: 3, chunks: 12, embedder: 'use', store: 'embedded', model: 'fake', reranker: 'none', uptimeSeconds: 60, recentErrors: [] };
  }
}

export interface Harness {
  fake: FakeSlack;
  adapter: ChatSurface;
  answerer: ScriptedAnswerer;
  admin: FakeIndexAdmin;
  votes: FeedbackVote[];
  /** The app's /slack/events URL (HTTP transport). */
  url: string;
  /** With `records`: the real feedback.sqlite answers are kept in, and the metrics recorded. */
  store?: FeedbackStore;
  metrics?: Metrics;
  close(): Promise<void>;
}

export interface HarnessOptions {
  socketMode?: boolean;
  limits?: Partial<{ maxQuestionChars: number; ratePerMinute: number; queueConcurrency: number; queueMax: number; attachmentMaxBytes: number }>;
  allowedChannels?: string[];
  /** Support channels (SLACK_AUTO_ANSWER_CHANNELS). */
  autoAnswerChannels?: string[];
  /** Where /cairn-channel switches are kept (in process by default). */
  channelSettings?: ChannelSettings;
  adapter?: SlackAdapterOptions;
  /** Replaces recording a vote (by default, pushing it to `votes`). */
  record?: (vote: FeedbackVote, votes: FeedbackVote[]) => Promise<void>;
  /** Runs Cairn as a Slack AI app too (SLACK_ASSISTANT), with these suggested prompts. */
  assistant?: { prompts: AssistantPrompt[] };
  /** Where the adapter logs (silent by default, or TEST_LOG's level). */
  logger?: Logger;
  /** Answers are recorded in a real feedback.sqlite, so Share and "Still need help?" are offered. */
  records?: boolean;
  handoff?: SlackConfig['handoff'];
  /** The weekly gaps summary's channel (SLACK_GAPS_CHANNEL). */
  gapsChannel?: string;
}

/** The real Bolt App, mounted the way Cairn's server mounts it, against the fake Slack. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeSlack();
  const answerer = new ScriptedAnswerer();
  const admin = new FakeIndexAdmin();
  const votes: FeedbackVote[] = [];
  const feedback: FeedbackRecorder = { record: opts.record ? (v) => opts.record!(v, votes) : async (v) => void votes.push(v) };
  const logger = opts.logger ?? pino({ level: process.env.TEST_LOG ?? 'silent' });
  const dataDir = opts.records ? mkdtempSync(path.join(tmpdir(), 'cairn-slack-records-')) : undefined;
  const store = dataDir ? new FeedbackStore(dataDir) : undefined;
  const metrics = store ? new Metrics() : undefined;
  const chat = new ChatService({
    answerer: store && metrics ? recordingAnswerer(answerer, store, metrics, logger) : answerer,
    config: {
      access: { channels: { CHR: ['hr'] }, users: { U9: ['hr', 'eng'] }, publicGroups: ['public'], webSearchWithPrivateGroups: false },
      limits: { maxQuestionChars: 2000, ratePerMinute: 100, queueConcurrency: 4, queueMax: 100, attachmentMaxBytes: 5 * 1024 * 1024, ...opts.limits },
    },
    logger,
  });
  const answers = store && metrics ? { answers: recordingAnswers(store, metrics, logger) } : {};
  const adapter = createSlackAdapter({ chat, admin: { reindex: new ReindexGate(admin), index: admin }, feedback, ...answers, logger, ...(opts.channelSettings ? { channelSettings: opts.channelSettings } : {}) }, {
    config: {
      botToken: 'xoxb-test', signingSecret: SECRET, socketMode: opts.socketMode ?? false, apiUrl: fake.apiUrl,
      adminUserIds: [ADMIN], allowedChannels: opts.allowedChannels ?? [], autoAnswerChannels: opts.autoAnswerChannels ?? [], ...(opts.handoff ? { handoff: opts.handoff } : {}), ...(opts.socketMode ? { appToken: 'xapp-test' } : {}),
      ...(opts.assistant ? { assistant: opts.assistant } : {}), ...(opts.gapsChannel ? { gapsChannel: opts.gapsChannel } : {}),
    },
    options: { retryConfig: { retries: 0 }, progressIntervalMs: 100, reindexProgressIntervalMs: 50, stopTimeoutMs: 5000, ...opts.adapter },
  });
  let server: Server | undefined;
  let url = '';
  const listener = adapter.routes?.[SLACK_EVENTS_PATH];
  if (listener) {
    server = createServer((req, res) => (req.url?.startsWith(SLACK_EVENTS_PATH) ? listener(req, res) : res.writeHead(404).end()));
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SLACK_EVENTS_PATH}`;
  }
  await adapter.start();
  return {
    fake, adapter, answerer, admin, votes, url, ...(store ? { store } : {}), ...(metrics ? { metrics } : {}),
    async close() {
      await adapter.stop();
      store?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((r) => server?.close(() => r()));
      }
      await fake.close();
    },
  };
}

/** The text of every section of a stored message, joined. */
export function sectionText(m: { blocks?: { type: string; text?: { text: string } }[] }): string {
  return (m.blocks ?? []).filter((b) => b.type === 'section').map((b) => b.text?.text ?? '').join('\n');
}
