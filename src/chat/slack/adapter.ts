import type { IncomingMessage, ServerResponse } from 'node:http';
import { CairnError } from '../../core/errors.js';
import type { ChatSurface, SurfaceDeps } from '../surface.js';
import { buildBoltApp, SLACK_EVENTS_PATH, type BoltAppOptions, type SlackConfig } from './bolt-app.js';
import { ImLookup } from './conversation.js';
import { DeliveryMemory, type DeliveryMemoryOptions } from './delivery-memory.js';
import { registerAssistant } from './handlers/assistant.js';
import { registerChannelCommand } from './handlers/channel-command.js';
import { registerCommands } from './handlers/commands.js';
import type { HandlerDeps } from './handlers/deps.js';
import { registerFeedback } from './handlers/feedback.js';
import { registerAnswerButtons } from './handlers/answer-buttons.js';
import { registerMessageHandlers } from './handlers/messages.js';
import { ThreadParticipation, type ThreadParticipationOptions } from './thread-participation.js';
import { logError } from '../shared/log-error.js';
import { gapsSummaryMessages } from './render/admin.js';
import { AutoAnswerChannels } from '../shared/auto-answer.js';
import { MemoryChannelSettings } from '../../shared-state/channel-settings.js';

export interface SlackAdapterOptions extends BoltAppOptions, DeliveryMemoryOptions, ThreadParticipationOptions {
  /** Least time between progress edits of one placeholder (default 1,500 ms). */
  progressIntervalMs?: number;
  /** Least time between re-index progress posts (default 10 s; a response_url takes only five posts). */
  reindexProgressIntervalMs?: number;
  /** How long stop() waits for answers in flight (default 30 s). */
  stopTimeoutMs?: number;
}

export { SLACK_EVENTS_PATH };

/**
 * Assembles the Slack surface over the real Bolt App. In HTTP mode its one route, `POST /slack/events`
 * (events, slash commands and button clicks), verifies the signing secret (401 otherwise), answers
 * 503 before start() and 404 for any other path; Socket Mode has no route.
 */
export function createSlackAdapter(deps: SurfaceDeps, slack: { config: SlackConfig; options?: SlackAdapterOptions }): ChatSurface {
  const opts = slack.options ?? {};
  const log = deps.logger.child({ platform: 'slack' });
  const transport = buildBoltApp(slack.config, opts, log);
  const { app } = transport;
  const memory = new DeliveryMemory(opts, deps.delivery);
  const inFlight = new Set<Promise<void>>();
  let started = false;
  let stopping: Promise<void> | null = null;

  const handlerDeps: HandlerDeps = {
    ...deps,
    config: slack.config,
    memory,
    threads: new ThreadParticipation(app.client, opts),
    ims: new ImLookup(app.client),
    autoAnswer: new AutoAnswerChannels('slack', slack.config.autoAnswerChannels ?? [], deps.channelSettings ?? new MemoryChannelSettings(), (err) => {
      log.warn({ err: logError(err) }, 'could not read a channel setting; using SLACK_AUTO_ANSWER_CHANNELS');
    }),
    logger: log,
    progressIntervalMs: opts.progressIntervalMs ?? 1500,
    reindexProgressIntervalMs: opts.reindexProgressIntervalMs ?? 10_000,
    background: (name, work) => {
      const job = work().catch((err: unknown) => log.error({ err: logError(err), job: name }, 'background job failed'));
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job));
    },
  };

  app.error(async (err) => {
    log.error({ err: logError(err) }, 'Slack event handling failed');
  });
  // Slack re-delivers an event it thinks was lost (same event_id, x-slack-retry-num), possibly to
  // another replica: answer once.
  app.use(async ({ body, context, next }) => {
    const { event_id: eventId, api_app_id: apiAppId, team_id: teamId } = body as { event_id?: unknown; api_app_id?: unknown; team_id?: unknown };
    const envelope = {
      eventId: String(eventId),
      ...(typeof apiAppId === 'string' ? { apiAppId } : {}),
      ...(typeof teamId === 'string' ? { teamId } : {}),
    };
    if (typeof eventId === 'string' && !(await memory.firstDelivery(envelope))) {
      log.info({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'repeated Slack event ignored');
      return;
    }
    await next();
  });
  // Middleware, so after the dedupe above and before the message handlers, which it keeps its threads from.
  if (slack.config.assistant) registerAssistant(app, handlerDeps, slack.config.assistant.prompts);
  registerMessageHandlers(app, handlerDeps);
  registerCommands(app, handlerDeps);
  registerChannelCommand(app, handlerDeps);
  registerFeedback(app, handlerDeps);
  registerAnswerButtons(app, handlerDeps);

  const requestListener = transport.kind === 'http'
    ? (req: IncomingMessage, res: ServerResponse): void => {
        if (!started) {
          res.writeHead(503, { 'retry-after': '5' }).end();
          return;
        }
        try {
          transport.receiver.requestListener(req, res);
        } catch {
          // HTTPReceiver throws for paths it does not serve.
          res.writeHead(404).end();
        }
      }
    : undefined;

  const gapsChannel = slack.config.gapsChannel;
  return {
    name: 'slack',
    ...(requestListener ? { routes: { [SLACK_EVENTS_PATH]: requestListener } } : {}),
    ...(gapsChannel
      ? {
          gapsChannel: {
            id: gapsChannel,
            async post(report) {
              // The Web API client rejects on a refusal (not_in_channel, channel_not_found): the caller logs it.
              for (const text of gapsSummaryMessages(report)) await app.client.chat.postMessage({ channel: gapsChannel, text, unfurl_links: false, unfurl_media: false });
            },
          },
        }
      : {}),
    async start() {
      try {
        if (!opts.botIdentity) await app.init();
        if (transport.kind === 'socket') await app.start();
      } catch (err) {
        const e = logError(err);
        throw new CairnError('CONFIG', `Slack refused to connect (${e.apiError ?? e.message.slice(0, 200)}). Check SLACK_BOT_TOKEN${transport.kind === 'socket' ? ' and SLACK_APP_TOKEN' : ''} and SLACK_API_URL.`, { cause: err });
      }
      started = true;
      log.info({ transport: transport.kind }, 'Slack connected');
    },
    stop() {
      stopping ??= (async () => {
        started = false;
        if (transport.kind === 'socket') await transport.receiver.client.disconnect();
        if (!(await settleWithin(inFlight, opts.stopTimeoutMs ?? 30_000))) log.warn({ pending: inFlight.size }, 'stopped with Slack answers still in flight');
      })();
      return stopping;
    },
  };
}

/** Waits for a changing set of jobs to empty; false if `ms` ran out first. */
async function settleWithin(jobs: Set<Promise<void>>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (jobs.size > 0) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...jobs]), new Promise((r) => (timer = setTimeout(r, left)))]);
    clearTimeout(timer);
  }
  return true;
}
