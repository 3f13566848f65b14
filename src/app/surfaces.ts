import type { RequestListener } from 'node:http';
import { createDiscordAdapter } from '../chat/discord/index.js';
import { createSlackAdapter, SLACK_EVENTS_PATH } from '../chat/slack/index.js';
import type { Cairn } from './cairn.js';

export interface Surface {
  name: 'slack' | 'discord';
  stop(): Promise<void>;
}

/** Connects Slack and/or Discord when configured; returns them and the HTTP routes they need. */
export async function startSurfaces(cairn: Cairn): Promise<{ surfaces: Surface[]; routes: Record<string, RequestListener> }> {
  const { config } = cairn.runtime;
  const surfaces: Surface[] = [];
  const routes: Record<string, RequestListener> = {};
  if (config.slack) {
    const slack = createSlackAdapter({
      config: config.slack,
      chat: cairn.chat,
      admin: { reindex: cairn.reindex, index: cairn.admin },
      feedback: cairn.votes,
      logger: cairn.logger,
    });
    if (slack.requestListener) routes[SLACK_EVENTS_PATH] = slack.requestListener;
    await slack.start();
    surfaces.push({ name: 'slack', stop: () => slack.stop() });
  }
  if (config.discord) {
    const discord = createDiscordAdapter({
      config: config.discord,
      chat: cairn.chat,
      reindex: cairn.reindex,
      admin: cairn.admin,
      feedback: cairn.votes,
      logger: cairn.logger,
    });
    await discord.start();
    surfaces.push({ name: 'discord', stop: () => discord.stop() });
  }
  return { surfaces, routes };
}
