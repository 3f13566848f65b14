import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatService } from '../shared/chat-service.js';
import type { FeedbackRecorder } from '../../core/feedback.js';
import { CairnError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { buildBoltApp, SLACK_EVENTS_PATH, type BoltAppOptions, type SlackConfig } from './bolt-app.js';
import { ImLookup } from './conversation.js';
import { DeliveryMemory, type DeliveryMemoryOptions } from './delivery-memory.js';
import { registerCommands } from './handlers/commands.js';
import type { HandlerDeps, SlackAdminDeps } from './handlers/deps.js';
import { registerFeedback } from './handlers/feedback.js';
import { registerMessageHandlers } from './handlers/messages.js';
import { ThreadParticipation, type ThreadParticipationOptions } from './thread-participation.js';
import { describe } from './thread-reply.js';

export interface SlackAdapterOptions extends BoltAppOptions, DeliveryMemoryOptions, ThreadParticipationOptions {
  /** Least time between progress edits of one placeholder (default 1,500 ms). */
  progressIntervalMs?: number;
  /** Least time between re-index progress posts (default 10 s; a response_url takes only five posts). */
  reindexProgressIntervalMs?: number;
  /** How long stop() waits for answers in flight (default 30 s). */
  stopTimeoutMs?: number;
}

export interface SlackAdapterDeps {
  config: SlackConfig;
  chat: Pick<ChatService, 'ask' | 'delivery'>;
  admin: SlackAdminDeps;
  feedback: FeedbackRecorder;
  logger: Logger;
  options?: SlackAdapterOptions;
}

export interface SlackAdapter {
  readonly transport: 'http' | 'socket';
  /**
   * HTTP Events API only (undefined in Socket Mode): the handler for `POST /slack/events` — events,
   * slash commands and button clicks — to mount on Cairn's HTTP server. It verifies the signing
   * secret (401 otherwise), answers 503 before start() and 404 for any other path.
   */
  readonly requestListener: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  /** Checks the bot token (auth.test) and, in Socket Mode, connects. */
  start(): Promise<void>;
  /** Closes the socket, then waits for answers in flight so none is left half-posted. */
  stop(): Promise<void>;
}

export { SLACK_EVENTS_PATH };

/** Assembles the Slack surface over the real Bolt App. */
export function createSlackAdapter(deps: SlackAdapterDeps): SlackAdapter {
  const opts = deps.options ?? {};
  const log = deps.logger.child({ platform: 'slack' });
  const transport = buildBoltApp(deps.config, opts, log);
  const { app } = transport;
  const memory = new DeliveryMemory(opts);
  const inFlight = new Set<Promise<void>>();
  let started = false;
  let stopping: Promise<void> | null = null;

  const handlerDeps: HandlerDeps = {
    config: deps.config,
    chat: deps.chat,
    admin: deps.admin,
    feedback: deps.feedback,
    memory,
    threads: new ThreadParticipation(app.client, opts),
    ims: new ImLookup(app.client),
    logger: log,
    progressIntervalMs: opts.progressIntervalMs ?? 1500,
    reindexProgressIntervalMs: opts.reindexProgressIntervalMs ?? 10_000,
    background: (name, work) => {
      const job = work().catch((err: unknown) => log.error({ err: describe(err), job: name }, 'background job failed'));
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job));
    },
  };

  app.error(async (err) => {
    log.error({ err: describe(err) }, 'Slack event handling failed');
  });
  // Slack re-delivers an event it thinks was lost (same event_id, x-slack-retry-num): answer once.
  app.use(async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !memory.firstDelivery(eventId)) {
      log.info({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'repeated Slack event ignored');
      return;
    }
    await next();
  });
  registerMessageHandlers(app, handlerDeps);
  registerCommands(app, handlerDeps);
  registerFeedback(app, handlerDeps);

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

  return {
    transport: transport.kind,
    requestListener,
    async start() {
      try {
        if (!opts.botIdentity) await app.init();
        if (transport.kind === 'socket') await app.start();
      } catch (err) {
        throw new CairnError('CONFIG', `Slack refused to connect (${describe(err).error ?? describe(err).message}). Check SLACK_BOT_TOKEN${transport.kind === 'socket' ? ' and SLACK_APP_TOKEN' : ''} and SLACK_API_URL.`, { cause: err });
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
