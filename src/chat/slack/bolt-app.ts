import { App, HTTPReceiver, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { Config } from '../../config/config.js';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { boltLogger } from './bolt-logger.js';

export type SlackConfig = NonNullable<Config['slack']>;

export interface BoltAppOptions {
  /** Web API retries; a few quick ones by default (Bolt's default keeps retrying for 30 minutes). */
  retryConfig?: webApi.RetryOptions;
  /** Known bot ids skip the auth.test call at start. */
  botIdentity?: { botId: string; botUserId: string };
}

export const SLACK_EVENTS_PATH = '/slack/events';

const DEFAULT_RETRIES: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 4000 };

export type BoltTransport =
  | { kind: 'http'; app: App; receiver: HTTPReceiver }
  | { kind: 'socket'; app: App; receiver: SocketModeReceiver };

/** Builds the real Bolt App on the configured transport. No I/O: auth.test waits for `app.init()`. */
export function buildBoltApp(config: SlackConfig, opts: BoltAppOptions, log: Logger): BoltTransport {
  const logger = boltLogger(log);
  const clientOptions: webApi.WebClientOptions = {
    ...(config.apiUrl ? { slackApiUrl: withTrailingSlash(config.apiUrl) } : {}),
    retryConfig: opts.retryConfig ?? DEFAULT_RETRIES,
  };
  const common = {
    token: config.botToken,
    logger,
    clientOptions,
    convoStore: false as const,
    ...(opts.botIdentity ? { botId: opts.botIdentity.botId, botUserId: opts.botIdentity.botUserId } : { deferInitialization: true }),
  };
  if (config.socketMode) {
    if (!config.appToken) throw new ConfigError('Slack Socket Mode needs SLACK_APP_TOKEN (xapp-…).');
    // Bolt hands clientOptions to the Socket Mode client only through installerOptions.
    const receiver = new SocketModeReceiver({ appToken: config.appToken, logger, installerOptions: { clientOptions } });
    return { kind: 'socket', receiver, app: new App({ ...common, receiver, socketMode: true }) };
  }
  if (!config.signingSecret) throw new ConfigError('The Slack HTTP Events API needs SLACK_SIGNING_SECRET.');
  const receiver = new HTTPReceiver({
    signingSecret: config.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger,
    // Ack at once; answers are worked on after the HTTP reply so Slack never retries a slow answer.
    processBeforeResponse: false,
  });
  return { kind: 'http', receiver, app: new App({ ...common, receiver }) };
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
